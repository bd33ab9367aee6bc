using System.Globalization;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Questions;

/// <summary>Loads every <c>*.yaml</c> file of a bank directory into a validated <see cref="QuestionBank"/>.</summary>
public static class QuestionBankLoader
{
    /// <summary>Loads the bank, or throws <see cref="QuestionBankException"/> listing every problem with file and line.</summary>
    public static QuestionBank Load(string directory)
    {
        var (bank, problems) = Check(directory);
        return bank ?? throw new QuestionBankException(problems);
    }

    /// <summary>Loads and checks the bank without throwing: the bank when it is valid, and every problem found.</summary>
    public static (QuestionBank? Bank, IReadOnlyList<BankProblem> Problems) Check(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var problems = new List<BankProblem>();
        if (!Directory.Exists(directory))
        {
            problems.Add(new BankProblem(Display(directory), 0, "the question bank directory does not exist"));
            return (null, problems);
        }

        var files = Directory.GetFiles(directory, "*.yaml").Concat(Directory.GetFiles(directory, "*.yml"))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            problems.Add(new BankProblem(Display(directory), 0, "the question bank directory has no .yaml files"));
            return (null, problems);
        }

        var questions = new List<Question>();
        var firstSeen = new Dictionary<string, (string File, int Line)>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var display = Display(file);
            var (parsed, fileProblems) = QuestionFileParser.Parse(display, File.ReadAllText(file));
            problems.AddRange(fileProblems);
            foreach (var (question, line) in parsed)
            {
                if (firstSeen.TryGetValue(question.Id, out var first))
                {
                    problems.Add(new BankProblem(display, line, $"duplicate id '{question.Id}' (first defined at {first.File}:{first.Line})"));
                    continue;
                }

                firstSeen[question.Id] = (display, line);
                questions.Add(question);
            }
        }

        return problems.Count == 0 ? (new QuestionBank(questions), problems) : (null, problems);
    }

    /// <summary>
    /// The most a single question file may hold. One question with its rubric and follow-ups is a few kilobytes (the
    /// whole shipped bank is under 300 KB), so a megabyte fits any real question, while a path mistyped to a log or a
    /// dump is refused at once instead of being read and parsed.
    /// </summary>
    public const int MaxQuestionFileBytes = 1024 * 1024;

    /// <summary>Reads one question (a bank file holding exactly one question) from outside the bank.</summary>
    public static Question LoadSingle(string path)
    {
        var display = Display(path);
        if (Directory.Exists(path))
        {
            throw new QuestionBankException([new BankProblem(display, 0, "is a directory, not a question file")]);
        }

        if (!File.Exists(path))
        {
            throw new QuestionBankException([new BankProblem(display, 0, "file not found")]);
        }

        var bytes = new FileInfo(path).Length;
        if (bytes > MaxQuestionFileBytes)
        {
            throw new QuestionBankException([new BankProblem(display, 0, string.Create(CultureInfo.InvariantCulture, $"the file is {bytes:N0} bytes; a question file may be at most {MaxQuestionFileBytes:N0}"))]);
        }

        // A pipe or device reports no length, so the read stops at the cap as well: a byte is at least one character.
        var text = new char[MaxQuestionFileBytes + 1];
        int read;
        using (var reader = new StreamReader(path))
        {
            read = reader.ReadBlock(text);
        }

        if (read > MaxQuestionFileBytes)
        {
            throw new QuestionBankException([new BankProblem(display, 0, string.Create(CultureInfo.InvariantCulture, $"the file holds more than {MaxQuestionFileBytes:N0} characters; a question file may be at most {MaxQuestionFileBytes:N0} bytes"))]);
        }

        var (parsed, problems) = QuestionFileParser.Parse(display, new string(text, 0, read));
        if (problems.Count > 0)
        {
            throw new QuestionBankException(problems);
        }

        return parsed.Count == 1
            ? parsed[0].Question
            : throw new QuestionBankException([new BankProblem(display, 1, $"expected exactly one question, found {parsed.Count}")]);
    }

    private static string Display(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(path) : relative;
    }
}
