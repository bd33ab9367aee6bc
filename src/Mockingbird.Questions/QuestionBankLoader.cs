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

    /// <summary>Reads one question (a bank file holding exactly one question) from outside the bank.</summary>
    public static Question LoadSingle(string path)
    {
        var display = Display(path);
        if (!File.Exists(path))
        {
            throw new QuestionBankException([new BankProblem(display, 0, "file not found")]);
        }

        var (parsed, problems) = QuestionFileParser.Parse(display, File.ReadAllText(path));
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
