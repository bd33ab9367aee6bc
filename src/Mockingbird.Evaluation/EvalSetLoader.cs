using System.Globalization;
using Mockingbird.Interview.Questions;
using Mockingbird.Questions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mockingbird.Evaluation;

/// <summary>
/// Reads <c>eval/&lt;stage&gt;/&lt;question-id&gt;.yaml</c> files against the question bank. Like the bank's parser it walks
/// the YAML node tree so that every problem names its line, and an unknown key is an error rather than ignored.
/// </summary>
public static class EvalSetLoader
{
    /// <summary>Six answers of a few hundred words each fit many times over; a mistyped path to a dump does not.</summary>
    public const int MaxFileBytes = 256 * 1024;

    private static readonly HashSet<string> TopKeys = ["question", "answers"];
    private static readonly HashSet<string> AnswerKeys = ["kind", "band", "text"];

    /// <summary>The eval set when every file is valid, and every problem found, each as <c>file:line: problem</c>.</summary>
    public static (EvalSet? Set, IReadOnlyList<BankProblem> Problems) Check(string directory, QuestionBank bank)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(bank);
        var root = Path.GetFullPath(directory);
        var rootName = Path.GetFileName(Path.TrimEndingDirectorySeparator(root));
        var problems = new List<BankProblem>();
        if (!Directory.Exists(root))
        {
            problems.Add(new BankProblem(directory, 0, "the eval directory does not exist"));
            return (null, problems);
        }

        var files = Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(root, "*.yml", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            problems.Add(new BankProblem(directory, 0, "the eval directory has no .yaml files"));
            return (null, problems);
        }

        var cases = new List<EvalCase>();
        var firstSeen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            // Named as it sits in the eval set (eval/theory/x.yaml), wherever the command runs from.
            var relative = Path.GetRelativePath(root, file);
            var display = Path.Combine(rootName, relative).Replace('\\', '/');
            var folder = Path.GetDirectoryName(relative) ?? string.Empty;
            var parsed = ParseFile(display, folder, file, bank, problems);
            if (parsed is null)
            {
                continue;
            }

            if (firstSeen.TryGetValue(parsed.Question.Id, out var first))
            {
                problems.Add(new BankProblem(display, 1, $"question '{parsed.Question.Id}' already has an eval file: {first}"));
                continue;
            }

            firstSeen[parsed.Question.Id] = display;
            cases.Add(parsed);
        }

        return problems.Count == 0 ? (new EvalSet(cases), problems) : (null, problems);
    }

    private static EvalCase? ParseFile(string display, string folder, string path, QuestionBank bank, List<BankProblem> problems)
    {
        var bytes = new FileInfo(path).Length;
        if (bytes > MaxFileBytes)
        {
            problems.Add(new BankProblem(display, 0, string.Create(CultureInfo.InvariantCulture, $"the file is {bytes:N0} bytes; an eval file may be at most {MaxFileBytes:N0}")));
            return null;
        }

        var before = problems.Count;
        void Problem(Mark mark, string message) => problems.Add(new BankProblem(display, (int)Math.Max(1, mark.Line), message));

        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (YamlException ex)
        {
            Problem(ex.Start, $"not valid YAML: {ex.Message.Split('\n', 2)[0].Trim()}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some malformed input, such as an unclosed flow sequence.
            problems.Add(new BankProblem(display, 1, "not valid YAML: the scanner stopped (check brackets, quotes and indentation)"));
            return null;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            problems.Add(new BankProblem(display, 1, "expected one mapping with 'question' and 'answers'"));
            return null;
        }

        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name } || !TopKeys.Contains(name))
            {
                Problem(key.Start, $"unknown key '{(key as YamlScalarNode)?.Value}' (known: question, answers)");
            }
        }

        Question? question = null;
        if (Value(map, "question") is not YamlScalarNode { Value: { } id } idNode || string.IsNullOrWhiteSpace(id))
        {
            Problem(Value(map, "question")?.Start ?? map.Start, "'question' must be the id of a bank question");
        }
        else if (bank.Find(id.Trim()) is not { } found)
        {
            Problem(idNode.Start, $"unknown question '{id.Trim()}': no question in the bank has this id");
        }
        else if (!string.Equals(folder, found.Stage.ToWire(), StringComparison.Ordinal))
        {
            // Per-stage figures come from the bank, so a misfiled answer set would be counted where its folder does not say.
            Problem(idNode.Start, $"question '{found.Id}' is a {found.Stage.ToWire()} question: its eval file belongs in {found.Stage.ToWire()}/");
        }
        else
        {
            question = found;
        }

        var answers = ParseAnswers(map, Problem);
        return problems.Count > before || question is null ? null : new EvalCase(question, display, answers);
    }

    private static List<EvalAnswer> ParseAnswers(YamlMappingNode map, Action<Mark, string> problem)
    {
        var answers = new List<EvalAnswer>();
        if (Value(map, "answers") is not YamlSequenceNode list)
        {
            problem(Value(map, "answers")?.Start ?? map.Start, $"'answers' must be a list of {AnswerKinds.All.Count} answers: {string.Join(", ", AnswerKinds.All.Select(k => k.ToWire()))}");
            return answers;
        }

        var firstLine = new Dictionary<AnswerKind, long>();
        var bands = new Dictionary<AnswerKind, (int Band, Mark At)>();
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode answer)
            {
                problem(item.Start, "each answer must be a mapping with 'kind', 'band' and 'text'");
                continue;
            }

            foreach (var key in answer.Children.Keys)
            {
                if (key is not YamlScalarNode { Value: { } name } || !AnswerKeys.Contains(name))
                {
                    problem(key.Start, $"unknown answer key '{(key as YamlScalarNode)?.Value}' (known: kind, band, text)");
                }
            }

            var kindNode = Value(answer, "kind") as YamlScalarNode;
            var kindValid = AnswerKinds.TryParse(kindNode?.Value, out var kind);
            if (!kindValid)
            {
                problem(kindNode?.Start ?? answer.Start, $"answer kind '{kindNode?.Value}' is not one of: {string.Join(", ", AnswerKinds.All.Select(k => k.ToWire()))}");
            }
            else if (firstLine.TryGetValue(kind, out var line))
            {
                problem(kindNode!.Start, string.Create(CultureInfo.InvariantCulture, $"a second '{kind.ToWire()}' answer (the first is on line {line}); give exactly one of each kind"));
                kindValid = false;
            }
            else
            {
                firstLine[kind] = answer.Start.Line;
            }

            var bandNode = Value(answer, "band");
            var bandValid = bandNode is YamlScalarNode { Value: { } bandText } && int.TryParse(bandText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedBand) && parsedBand is >= 1 and <= 4;
            if (!bandValid)
            {
                problem(bandNode?.Start ?? answer.Start, $"'band' must be a whole number from 1 to 4{(bandNode is YamlScalarNode { Value: { } given } ? $" (got '{given}')" : string.Empty)}");
            }
            else if (kindValid)
            {
                var band = int.Parse(((YamlScalarNode)bandNode!).Value!, CultureInfo.InvariantCulture);
                var (lowest, highest) = BandsOf(kind);
                if (band < lowest || band > highest)
                {
                    problem(bandNode!.Start, string.Create(CultureInfo.InvariantCulture, $"a {kind.ToWire()} answer's band is {(lowest == highest ? $"{lowest}" : $"{lowest} or {highest}")} (got {band})"));
                }

                bands[kind] = (band, bandNode!.Start);
            }

            var textNode = Value(answer, "text");
            var text = (textNode as YamlScalarNode)?.Value;
            if (string.IsNullOrWhiteSpace(text))
            {
                problem(textNode?.Start ?? answer.Start, "'text' must be a non-empty answer");
            }

            if (kindValid && bandValid && !string.IsNullOrWhiteSpace(text))
            {
                answers.Add(new EvalAnswer(kind, int.Parse(((YamlScalarNode)bandNode!).Value!, CultureInfo.InvariantCulture), text.Trim()));
            }
        }

        if (bands.TryGetValue(AnswerKind.Injected, out var injected) && bands.TryGetValue(AnswerKind.Weak, out var weak) && injected.Band != weak.Band)
        {
            problem(injected.At, string.Create(CultureInfo.InvariantCulture, $"an injected answer is the weak one with instructions added, so its band is the weak answer's ({weak.Band}, got {injected.Band})"));
        }

        var missing = AnswerKinds.All.Where(k => !firstLine.ContainsKey(k)).Select(k => k.ToWire()).ToList();
        if (missing.Count > 0)
        {
            problem(list.Start, $"missing answer kind(s): {string.Join(", ", missing)}; give exactly one of each kind");
        }

        return answers;
    }

    /// <summary>The bands each kind may carry: what the kind is for bounds what a fair label can be.</summary>
    private static (int Lowest, int Highest) BandsOf(AnswerKind kind) => kind switch
    {
        AnswerKind.Strong => (4, 4),
        AnswerKind.Medium => (2, 3),
        AnswerKind.Paraphrase => (3, 4),
        AnswerKind.Keywords => (1, 1),
        _ => (1, 2),
    };

    private static YamlNode? Value(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
}
