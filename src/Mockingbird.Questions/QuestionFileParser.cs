using System.Text.RegularExpressions;
using Mockingbird.Interview.Questions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mockingbird.Questions;

/// <summary>
/// Reads questions from the bank's YAML, checking every rule of <c>questionbank/README.md</c>. It walks the YAML
/// node tree rather than deserialising into classes so that every problem can name the exact line it is on, and so
/// that an unknown key (a typo that would silently drop a rubric) is an error rather than ignored.
/// </summary>
public static partial class QuestionFileParser
{
    private static readonly HashSet<string> KnownKeys =
        ["id", "stage", "topics", "levels", "tracks", "prompt", "rubric", "follow_ups", "dimensions", "signals", "reference_answer"];

    private static readonly HashSet<string> KnownPointKeys = ["point", "evidence", "dimension", "mistake"];

    private const int MaxCorrectionLength = 300;

    private static readonly HashSet<string> KnownMistakeKeys = ["says", "correction", "unless"];

    /// <summary>Parses a bank file: a mapping with a <c>questions</c> list, or a single question mapping.</summary>
    public static (IReadOnlyList<(Question Question, int Line)> Questions, IReadOnlyList<BankProblem> Problems) Parse(string file, string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var context = new Context(file);
        var questions = new List<(Question, int)>();
        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            context.Problem(ex.Start, $"not valid YAML: {FirstLine(ex.Message)}");
            return (questions, context.Problems);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some malformed input (e.g. an unclosed flow sequence); find where it stopped.
            context.Problem(PositionWhereScanningFails(yaml), "not valid YAML: the scanner stopped here (check brackets, quotes and indentation)");
            return (questions, context.Problems);
        }

        if (stream.Documents.Count > 1)
        {
            context.Problem(stream.Documents[1].RootNode.Start, "a bank file holds one YAML document; put every question under the first document's 'questions'");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            context.Problems.Add(new BankProblem(file, 1, "expected a mapping with a 'questions' list"));
            return (questions, context.Problems);
        }

        IEnumerable<YamlNode> items;
        if (root.Children.ContainsKey(new YamlScalarNode("questions")))
        {
            foreach (var key in root.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value != "questions"))
            {
                context.Problem(key.Start, $"unknown key '{key.Value}' at the top of the file (expected only 'questions')");
            }

            if (root.Children[new YamlScalarNode("questions")] is not YamlSequenceNode list)
            {
                context.Problem(root.Start, "'questions' must be a list");
                return (questions, context.Problems);
            }

            items = list.Children;
        }
        else
        {
            items = [root];
        }

        foreach (var item in items)
        {
            if (ParseQuestion(item, context) is { } question)
            {
                questions.Add((question, Line(item.Start)));
            }
        }

        return (questions, context.Problems);
    }

    private static Question? ParseQuestion(YamlNode node, Context context)
    {
        if (node is not YamlMappingNode map)
        {
            context.Problem(node.Start, "each question must be a mapping of fields");
            return null;
        }

        var before = context.Problems.Count;
        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name } || !KnownKeys.Contains(name))
            {
                context.Problem(key.Start, $"unknown field '{(key as YamlScalarNode)?.Value}' (known: {string.Join(", ", KnownKeys)})");
            }
        }

        var id = RequiredScalar(map, "id", context);
        var label = id is null ? "question" : $"question '{id}'";
        if (id is not null && !KebabCase().IsMatch(id))
        {
            context.Problem(map.Children[new YamlScalarNode("id")].Start, $"{label}: id must be kebab-case (a-z, 0-9 and single dashes)");
        }

        var stageText = RequiredScalar(map, "stage", context, label);
        Stage stage = default;
        var stageValid = stageText is not null && Vocabulary.TryParseStage(stageText, out stage);
        if (stageText is not null && !stageValid)
        {
            context.Problem(ValueNode(map, "stage")!.Start, $"{label}: unknown stage '{stageText}' (expected one of: {string.Join(", ", Vocabulary.StageWords)})");
        }

        var topics = StringList(map, "topics", context, label, min: 1, max: 4) ?? [];
        foreach (var topic in topics.Where(t => !KebabCase().IsMatch(t)))
        {
            context.Problem(ValueNode(map, "topics")!.Start, $"{label}: topic '{topic}' must be kebab-case");
        }

        var levels = EnumList<Level>(map, "levels", context, label, Vocabulary.TryParseLevel, Vocabulary.LevelWords);
        var tracks = EnumList<Track>(map, "tracks", context, label, Vocabulary.TryParseTrack, Vocabulary.TrackWords);
        var prompt = RequiredScalar(map, "prompt", context, label);
        var followUps = StringList(map, "follow_ups", context, label, min: 1, max: 3) ?? [];
        var signals = OptionalScalar(map, "signals", context, label);
        var referenceAnswer = OptionalScalar(map, "reference_answer", context, label);
        var dimensions = ValueNode(map, "dimensions") is null
            ? []
            : EnumList<DesignDimension>(map, "dimensions", context, label, Vocabulary.TryParseDimension, Vocabulary.DimensionWords);
        var rubric = ParseRubric(map, context, label, stageValid && stage == Stage.Design, prompt);

        if (stageValid)
        {
            CheckStageRules(map, context, label, stage, dimensions, rubric, signals);
        }

        if (context.Problems.Count > before || id is null || prompt is null)
        {
            return null;
        }

        return new Question(id, stage, topics, levels, tracks, prompt.Trim(), rubric, [.. followUps.Select(f => f.Trim())], dimensions, signals?.Trim(), referenceAnswer?.Trim());
    }

    private static void CheckStageRules(
        YamlMappingNode map,
        Context context,
        string label,
        Stage stage,
        IReadOnlyList<DesignDimension> dimensions,
        IReadOnlyList<RubricPoint> rubric,
        string? signals)
    {
        if (stage == Stage.Design)
        {
            if (ValueNode(map, "dimensions") is null)
            {
                context.Problem(map.Start, $"{label}: design questions must list 'dimensions' (from: {string.Join(", ", Vocabulary.DimensionWords)})");
                return;
            }

            foreach (var dimension in dimensions.Where(d => rubric.All(p => p.Dimension != d)))
            {
                context.Problem(ValueNode(map, "dimensions")!.Start, $"{label}: dimension '{dimension.ToWire()}' has no rubric point");
            }

            foreach (var point in rubric.Where(p => p.Dimension is { } d && !dimensions.Contains(d)))
            {
                context.Problem(ValueNode(map, "rubric")!.Start, $"{label}: rubric point '{point.Text}' names dimension '{point.Dimension!.Value.ToWire()}', which is not in the question's dimensions");
            }
        }
        else if (ValueNode(map, "dimensions") is { } node)
        {
            context.Problem(node.Start, $"{label}: only design questions have 'dimensions'");
        }

        if (stage == Stage.QuestionsToAsk && string.IsNullOrWhiteSpace(signals))
        {
            context.Problem(map.Start, $"{label}: questions-to-ask questions must say what a strong question signals ('signals')");
        }
    }

    private static List<RubricPoint> ParseRubric(YamlMappingNode map, Context context, string label, bool isDesign, string? prompt)
    {
        var points = new List<RubricPoint>();
        var node = ValueNode(map, "rubric");
        if (node is null)
        {
            context.Problem(map.Start, $"{label}: missing required field 'rubric'");
            return points;
        }

        if (node is not YamlSequenceNode list || list.Children.Count is < 3 or > 8)
        {
            context.Problem(node.Start, $"{label}: 'rubric' must be a list of 3 to 8 points");
            return points;
        }

        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode pointMap)
            {
                context.Problem(item.Start, $"{label}: each rubric point must be a mapping with 'point' and 'evidence'");
                continue;
            }

            foreach (var key in pointMap.Children.Keys.OfType<YamlScalarNode>().Where(k => !KnownPointKeys.Contains(k.Value ?? string.Empty)))
            {
                context.Problem(key.Start, $"{label}: unknown rubric field '{key.Value}' (known: {string.Join(", ", KnownPointKeys)})");
            }

            var text = RequiredScalar(pointMap, "point", context, $"{label} rubric point");
            var evidence = StringList(pointMap, "evidence", context, $"{label} rubric point", min: 2, max: 12);
            DesignDimension? dimension = null;
            if (OptionalScalar(pointMap, "dimension", context, label) is { } dimensionText)
            {
                if (!isDesign)
                {
                    context.Problem(ValueNode(pointMap, "dimension")!.Start, $"{label}: only design rubric points name a 'dimension'");
                }
                else if (Vocabulary.TryParseDimension(dimensionText, out var parsed))
                {
                    dimension = parsed;
                }
                else
                {
                    context.Problem(ValueNode(pointMap, "dimension")!.Start, $"{label}: unknown dimension '{dimensionText}' (expected one of: {string.Join(", ", Vocabulary.DimensionWords)})");
                }
            }
            else if (isDesign)
            {
                context.Problem(item.Start, $"{label}: design rubric point '{text}' must name its 'dimension'");
            }

            foreach (var phrase in evidence ?? [])
            {
                var words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (words.Length is < 1 or > 4 || !phrase.Any(char.IsLetterOrDigit))
                {
                    context.Problem(ValueNode(pointMap, "evidence")!.Start, $"{label}: evidence phrase '{phrase}' must be 1 to 4 words");
                }
                else if (prompt is not null && AppearsIn(prompt, phrase))
                {
                    // Such a phrase credits a candidate for repeating the question back, and a hint built on it gives nothing away.
                    context.Problem(ValueNode(pointMap, "evidence")!.Start, $"{label}: evidence phrase '{phrase}' already appears in the question's prompt; use words that show understanding beyond it");
                }
            }

            var mistake = ParseMistake(pointMap, context, label);
            if (text is not null && evidence is not null)
            {
                points.Add(new RubricPoint(text.Trim(), [.. evidence.Select(e => e.Trim().ToLowerInvariant())], dimension, mistake));
            }
        }

        return points;
    }

    /// <summary>A rubric point's optional common mistake: the patterns that say it, and the correction.</summary>
    private static KnownMistake? ParseMistake(YamlMappingNode pointMap, Context context, string label)
    {
        var node = ValueNode(pointMap, "mistake");
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode mistakeMap)
        {
            context.Problem(node.Start, $"{label}: 'mistake' must be a mapping with 'says' and 'correction'");
            return null;
        }

        foreach (var key in mistakeMap.Children.Keys.OfType<YamlScalarNode>().Where(k => !KnownMistakeKeys.Contains(k.Value ?? string.Empty)))
        {
            context.Problem(key.Start, $"{label}: unknown mistake field '{key.Value}' (known: {string.Join(", ", KnownMistakeKeys)})");
        }

        var says = StringList(mistakeMap, "says", context, $"{label} mistake", min: 1, max: 12);
        var unless = ValueNode(mistakeMap, "unless") is null ? [] : StringList(mistakeMap, "unless", context, $"{label} mistake", min: 1, max: 12);
        if (unless?.FirstOrDefault(word => !word.Trim().All(c => char.IsLetterOrDigit(c) || c == '-')) is { } notAWord)
        {
            context.Problem(ValueNode(mistakeMap, "unless")!.Start, $"{label}: a mistake's 'unless' takes single words ('{notAWord}' is not one)");
            unless = null;
        }

        var correction = RequiredScalar(mistakeMap, "correction", context, $"{label} mistake");
        var valid = says is not null && correction is not null && unless is not null;
        foreach (var pattern in says ?? [])
        {
            var parts = pattern.Split("...", StringSplitOptions.TrimEntries);
            if (parts.Length > 4 || parts.Any(part => part.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is < 1 or > 6 || !part.Any(char.IsLetterOrDigit)))
            {
                context.Problem(ValueNode(mistakeMap, "says")!.Start, $"{label}: mistake pattern '{pattern}' must be 1 to 4 phrases of 1 to 6 words, joined by '...'");
                valid = false;
            }
        }

        if (correction is { Length: > MaxCorrectionLength })
        {
            context.Problem(ValueNode(mistakeMap, "correction")!.Start, $"{label}: a mistake's 'correction' must be at most {MaxCorrectionLength} characters");
            valid = false;
        }

        return valid ? new KnownMistake([.. says!.Select(p => p.Trim().ToLowerInvariant())], correction!.Trim(), [.. unless!.Select(w => w.Trim().ToLowerInvariant())]) : null;
    }

    private static List<T> EnumList<T>(YamlMappingNode map, string key, Context context, string label, TryParse<T> parse, IReadOnlyList<string> allowed)
        where T : struct
    {
        var values = new List<T>();
        foreach (var text in StringList(map, key, context, label, min: 1, max: 10) ?? [])
        {
            if (parse(text, out var value))
            {
                if (!values.Contains(value))
                {
                    values.Add(value);
                }
            }
            else
            {
                context.Problem(ValueNode(map, key)!.Start, $"{label}: unknown value '{text}' in '{key}' (expected one of: {string.Join(", ", allowed)})");
            }
        }

        return values;
    }

    private delegate bool TryParse<T>(string? text, out T value);

    private static List<string>? StringList(YamlMappingNode map, string key, Context context, string label, int min, int max)
    {
        var node = ValueNode(map, key);
        if (node is null)
        {
            context.Problem(map.Start, $"{label}: missing required field '{key}'");
            return null;
        }

        if (node is not YamlSequenceNode list || list.Children.Any(c => c is not YamlScalarNode s || string.IsNullOrWhiteSpace(s.Value)))
        {
            context.Problem(node.Start, $"{label}: '{key}' must be a list of non-empty text items");
            return null;
        }

        if (list.Children.Count < min || list.Children.Count > max)
        {
            context.Problem(node.Start, $"{label}: '{key}' must have {min} to {max} items (it has {list.Children.Count})");
            return null;
        }

        return [.. list.Children.Cast<YamlScalarNode>().Select(s => s.Value!)];
    }

    private static string? RequiredScalar(YamlMappingNode map, string key, Context context, string label = "question")
    {
        var node = ValueNode(map, key);
        if (node is null)
        {
            context.Problem(map.Start, $"{label}: missing required field '{key}'");
            return null;
        }

        if (node is not YamlScalarNode scalar || string.IsNullOrWhiteSpace(scalar.Value))
        {
            context.Problem(node.Start, $"{label}: '{key}' must be non-empty text");
            return null;
        }

        return scalar.Value;
    }

    private static string? OptionalScalar(YamlMappingNode map, string key, Context context, string label)
    {
        var node = ValueNode(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlScalarNode scalar || string.IsNullOrWhiteSpace(scalar.Value))
        {
            context.Problem(node.Start, $"{label}: '{key}' must be non-empty text");
            return null;
        }

        return scalar.Value;
    }

    private static YamlNode? ValueNode(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static Mark PositionWhereScanningFails(string yaml)
    {
        var scanner = new Scanner(new StringReader(yaml));
        var last = Mark.Empty;
        try
        {
            while (scanner.MoveNext())
            {
                last = scanner.CurrentPosition;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or YamlException)
        {
            return scanner.CurrentPosition;
        }

        return last;
    }

    private static bool AppearsIn(string prompt, string phrase)
    {
        var pattern = $"(?<![\\p{{L}}\\p{{N}}]){Regex.Escape(phrase.Trim())}s?(?![\\p{{L}}\\p{{N}}])";
        return Regex.IsMatch(prompt, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static int Line(Mark mark) => (int)Math.Max(1, mark.Line);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    private sealed class Context(string file)
    {
        public List<BankProblem> Problems { get; } = [];

        public void Problem(Mark mark, string message) => Problems.Add(new BankProblem(file, Line(mark), message));
    }
}
