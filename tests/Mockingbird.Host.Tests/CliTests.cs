using System.Text.Json;
using Mockingbird.Host.Cli;
using Mockingbird.Testing;

namespace Mockingbird.Host.Tests;

// One collection with the process tests: a test here sets an environment variable that a child process would inherit.
[Collection(nameof(CliTests))]
public sealed class CliTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("cli-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static async Task<(int Exit, string Out, string Error)> Run(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await MockingbirdCli.RunAsync(args, new CliStreams(new StringReader(input), output, error));
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs the CLI with environment variables set for the call only.</summary>
    private static async Task<(int Exit, string Out, string Error)> RunWithEnvironment(Dictionary<string, string> environment, string input, params string[] args)
    {
        foreach (var (key, value) in environment)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        try
        {
            return await Run(input, args);
        }
        finally
        {
            foreach (var key in environment.Keys)
            {
                Environment.SetEnvironmentVariable(key, null);
            }
        }
    }

    [Fact]
    public async Task Bank_list_json_prints_every_question_with_the_documented_fields()
    {
        var (exit, output, _) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "bank", "list", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.True(items.Count >= 50);
        foreach (var item in items)
        {
            Assert.Equal(JsonValueKind.String, item.GetProperty("id").ValueKind);
            Assert.Equal(JsonValueKind.String, item.GetProperty("stage").ValueKind);
            Assert.Equal(JsonValueKind.Array, item.GetProperty("topics").ValueKind);
            Assert.Equal(JsonValueKind.Array, item.GetProperty("levels").ValueKind);
            Assert.Equal(JsonValueKind.Array, item.GetProperty("tracks").ValueKind);
            Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("prompt").GetString()));
        }
    }

    [Fact]
    public async Task Bank_list_filters_by_stage()
    {
        var (exit, output, _) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "bank", "list", "--stage", "ml-coding", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var stages = json.RootElement.EnumerateArray().Select(q => q.GetProperty("stage").GetString()).ToList();
        Assert.NotEmpty(stages);
        Assert.All(stages, stage => Assert.Equal("ml-coding", stage));
    }

    [Fact]
    public async Task Bank_list_lines_up_its_columns_however_long_the_longest_id()
    {
        var (exit, output, _) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "bank", "list");

        Assert.Equal(0, exit);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.EndsWith("question(s)", StringComparison.Ordinal)).ToList();
        var stageColumn = rows.Max(row => row.IndexOf(' ', StringComparison.Ordinal)) + 1;
        var levelsColumn = rows.Max(row => row.IndexOf(' ', stageColumn)) + 1;
        Assert.True(rows.Count > 100, $"{rows.Count} rows");
        Assert.All(rows, row =>
        {
            Assert.True(char.IsAsciiLetterLower(row[stageColumn]) && row[stageColumn - 1] == ' ', row);
            Assert.True(char.IsAsciiLetterLower(row[levelsColumn]) && row[levelsColumn - 1] == ' ', row);
        });
    }

    [Fact]
    public async Task Judge_json_prints_the_feedback_shape_that_eval_scripts_rely_on()
    {
        var answer = Path.Combine(_scratch, "answer.txt");
        await File.WriteAllTextAsync(answer, "I would subtract the max before calling exp, because exp overflows on large inputs and the shift leaves the result unchanged.");
        var question = Path.Combine(_scratch, "q.yaml");
        await File.WriteAllTextAsync(question, """
            id: coding-softmax
            stage: ml-coding
            topics: [numerics]
            levels: [mid]
            tracks: [applied]
            prompt: Implement a stable softmax.
            rubric:
              - point: Subtracts the max
                evidence: [subtract the max, max]
              - point: Explains overflow
                evidence: [overflow, large inputs]
              - point: Handles the batch axis
                evidence: [axis, batch]
            follow_ups: [What about log-softmax?]
            """);

        var (exit, output, error) = await Run(string.Empty, "judge", "--question-file", question, "--answer-file", answer, "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("coding-softmax", root.GetProperty("questionId").GetString());
        Assert.Equal("offline-rubric", root.GetProperty("judge").GetString());
        var dimension = root.GetProperty("dimensions")[0];
        Assert.Equal("coverage", dimension.GetProperty("name").GetString());
        Assert.InRange(dimension.GetProperty("score").GetInt32(), 1, 4);
        Assert.Equal(JsonValueKind.Array, dimension.GetProperty("evidence").ValueKind);
        Assert.Equal(JsonValueKind.String, dimension.GetProperty("rationale").ValueKind);
        Assert.Equal(2, root.GetProperty("covered").GetArrayLength());
        Assert.Equal("Handles the batch axis", root.GetProperty("missed")[0].GetString());
        Assert.InRange(root.GetProperty("total").GetDouble(), 1, 4);
    }

    [Fact]
    public async Task Judge_reads_the_answer_from_standard_input_and_judges_a_bank_question()
    {
        var (exit, output, error) = await Run("A short answer.", "--bank", RepositoryPaths.QuestionBank, "judge", "--question", "theory-kv-cache-and-gqa", "--answer-file", "-");

        Assert.True(exit == 0, error);
        Assert.Contains("Feedback on theory-kv-cache-and-gqa", output, StringComparison.Ordinal);
        Assert.Contains("offline rubric check: coverage and structure, not correctness", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Judge_with_an_unknown_question_fails_with_a_pointer_to_bank_list()
    {
        var (exit, _, error) = await Run("x", "--bank", RepositoryPaths.QuestionBank, "judge", "--question", "no-such-question", "--answer-file", "-");

        Assert.Equal(1, exit);
        Assert.Contains("bank list", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Judge_refuses_an_answer_file_over_the_bots_limit_and_says_its_size()
    {
        var answer = Path.Combine(_scratch, "long.txt");
        await File.WriteAllTextAsync(answer, new string('a', 12_001));

        var (exit, output, error) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "judge", "--question", "theory-kv-cache-and-gqa", "--answer-file", answer);

        Assert.Equal(1, exit);
        Assert.Contains($"Answer file {answer} is 12,001 bytes; an answer may be at most 12,000 characters", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Judge_accepts_an_answer_file_of_exactly_the_limit()
    {
        var answer = Path.Combine(_scratch, "at-limit.txt");
        await File.WriteAllTextAsync(answer, string.Concat(Enumerable.Repeat("Caching keys and values saves recomputation. ", 300))[..12_000]);

        var (exit, output, error) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "judge", "--question", "theory-kv-cache-and-gqa", "--answer-file", answer);

        Assert.True(exit == 0, error);
        Assert.Contains("Feedback on theory-kv-cache-and-gqa", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Judge_refuses_an_answer_on_standard_input_over_the_limit()
    {
        var (exit, _, error) = await Run(new string('a', 12_001), "--bank", RepositoryPaths.QuestionBank, "judge", "--question", "theory-kv-cache-and-gqa", "--answer-file", "-");

        Assert.Equal(1, exit);
        Assert.Contains("The answer on standard input is more than 12,000 characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Judge_says_an_answer_path_that_is_a_directory_is_a_directory()
    {
        var (exit, _, error) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "judge", "--question", "theory-kv-cache-and-gqa", "--answer-file", _scratch);

        Assert.Equal(1, exit);
        Assert.Contains($"{_scratch} is a directory", error, StringComparison.Ordinal);
        Assert.DoesNotContain("not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Judge_says_a_missing_answer_file_is_not_found()
    {
        var missing = Path.Combine(_scratch, "missing.txt");

        var (exit, _, error) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "judge", "--question", "theory-kv-cache-and-gqa", "--answer-file", missing);

        Assert.Equal(1, exit);
        Assert.Contains($"Answer file not found: {missing}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Judge_refuses_a_question_file_that_is_a_directory_or_too_large_without_reading_it()
    {
        var answer = Path.Combine(_scratch, "answer.txt");
        await File.WriteAllTextAsync(answer, "A short answer.");
        var huge = Path.Combine(_scratch, "huge.yaml");
        await File.WriteAllTextAsync(huge, "id: x\n" + new string('#', 1024 * 1024));

        var (directoryExit, _, directoryError) = await Run(string.Empty, "judge", "--question-file", _scratch, "--answer-file", answer);
        var (hugeExit, _, hugeError) = await Run(string.Empty, "judge", "--question-file", huge, "--answer-file", answer);

        Assert.Equal(1, directoryExit);
        Assert.Contains("is a directory, not a question file", directoryError, StringComparison.Ordinal);
        Assert.Equal(1, hugeExit);
        Assert.Contains("the file is 1,048,582 bytes; a question file may be at most 1,048,576", hugeError, StringComparison.Ordinal);
    }

    private static string EvalFixture => Path.Combine(RepositoryPaths.Root, "tests", "Mockingbird.Evaluation.Tests", "Fixtures", "eval");

    [Fact]
    public async Task Eval_prints_a_table_with_a_row_for_all_answers_and_one_per_stage()
    {
        var (exit, output, error) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "eval", "--eval", EvalFixture);

        Assert.True(exit == 0, error);
        var lines = output.TrimEnd().Split(Environment.NewLine);
        Assert.StartsWith("Judge: offline", lines[0], StringComparison.Ordinal);
        Assert.Contains("pairwise", lines[1], StringComparison.Ordinal);
        Assert.Equal(["all", "theory", "ml-coding"], lines.Skip(2).Select(line => line.Split(' ')[0]));
        Assert.Matches(@"^all\s+2\s+12\s", lines[2]);
    }

    [Fact]
    public async Task Eval_json_gives_every_figure_overall_and_per_stage()
    {
        var (exit, output, error) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "eval", "--eval", EvalFixture, "--judge", "offline", "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("offline", root.GetProperty("judge").GetString());
        Assert.Equal(0, root.GetProperty("fallbacks").GetInt32());
        var overall = root.GetProperty("overall");
        Assert.Equal(12, overall.GetProperty("answers").GetInt32());
        Assert.Equal(1.0, overall.GetProperty("strongAboveWeak").GetDouble());
        foreach (var figure in new[] { "pairwiseOrderAccuracy", "spearman", "quadraticWeightedKappa", "keywordLift", "injectionLift", "paraphraseAboveWeak" })
        {
            Assert.Equal(JsonValueKind.Number, overall.GetProperty(figure).ValueKind);
        }

        Assert.Equal(["theory", "ml-coding"], root.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("scope").GetString()));
        Assert.All(root.GetProperty("stages").EnumerateArray(), s => Assert.Equal(6, s.GetProperty("answers").GetInt32()));
    }

    [Fact]
    public async Task Eval_without_an_eval_directory_is_a_usage_error_naming_the_path()
    {
        var missing = Path.Combine(_scratch, "no-eval-here");

        var (exit, output, error) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "eval", "--eval", missing);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"No eval set at {missing}: give --eval <dir> (the repository keeps it in eval/).", error.TrimEnd());
    }

    [Fact]
    public async Task Eval_with_a_broken_eval_file_lists_each_problem_at_its_file_and_line_and_judges_nothing()
    {
        var directory = Path.Combine(_scratch, "eval", "theory");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "theory-kv-cache-and-gqa.yaml"), "question: theory-kv-cache-and-gqa\nanswers:\n  - kind: strong\n    band: 0\n    text: Yes.\n");

        var (exit, output, error) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "eval", "--eval", Path.Combine(_scratch, "eval"));

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("eval/theory/theory-kv-cache-and-gqa.yaml:4: 'band' must be a whole number from 1 to 4 (got '0')", error, StringComparison.Ordinal);
        Assert.Contains("eval/theory/theory-kv-cache-and-gqa.yaml:3: missing answer kind(s): medium, weak, keywords, paraphrase, injected", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_with_the_llm_judge_and_no_llm_configured_fails_in_one_line()
    {
        var (exit, output, error) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "eval", "--eval", EvalFixture, "--judge", "llm");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.TrimEnd().Split(Environment.NewLine));
        Assert.StartsWith("No LLM judge is configured: set MOCKINGBIRD_Llm__Provider", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_accepts_the_shipped_bank_and_prompts()
    {
        var (exit, output, error) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "validate");

        Assert.True(exit == 0, error);
        Assert.StartsWith("Question bank OK:", output, StringComparison.Ordinal);
        var shippedVersions = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "prompts"), "v*.yaml", SearchOption.AllDirectories).Length;
        Assert.Contains($"Prompts OK: {shippedVersions} prompt versions", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_exits_non_zero_and_names_the_file_and_line_of_each_problem()
    {
        await File.WriteAllTextAsync(Path.Combine(_scratch, "bad.yaml"), "questions:\n  - id: Bad Id\n    stage: theory\n");

        var (exit, _, error) = await Run(string.Empty, "--bank", _scratch, "validate");

        Assert.Equal(1, exit);
        Assert.Contains("bad.yaml:2: question 'Bad Id': id must be kebab-case", error, StringComparison.Ordinal);
        Assert.Contains("Invalid: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Practice_with_a_broken_bank_stops_before_starting_with_the_problems()
    {
        await File.WriteAllTextAsync(Path.Combine(_scratch, "bad.yaml"), "questions: [");

        var (exit, output, error) = await Run(string.Empty, "--bank", _scratch, "practice", "theory");

        Assert.Equal(1, exit);
        Assert.Contains("bad.yaml:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Question 1", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("practice", "trivia")]
    [InlineData("practice", "full", "--level", "principal")]
    [InlineData("practice", "full", "--questions", "2")]
    public async Task Practice_refuses_bad_arguments_with_a_usage_error(params string[] args)
    {
        var (exit, _, error) = await Run(string.Empty, ["--bank", RepositoryPaths.QuestionBank, .. args]);

        Assert.NotEqual(0, exit);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task Practice_replays_the_same_questions_for_the_same_seed()
    {
        var first = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "practice", "full", "--seed", "11");
        var second = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "practice", "full", "--seed", "11");
        var otherSeed = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "practice", "full", "--seed", "12");

        Assert.Equal(first.Out, second.Out);
        Assert.Contains("Seed 11", first.Out, StringComparison.Ordinal);

        // Equal runs prove little unless the seed chooses: another seed asks another first question.
        Assert.NotEqual(FirstQuestion(first.Out), FirstQuestion(otherSeed.Out));
    }

    private static string FirstQuestion(string output) =>
        output.Split('\n').SkipWhile(line => !line.StartsWith("--- Question 1 of", StringComparison.Ordinal)).Skip(1).First(line => line.Length > 0);

    [Fact]
    public async Task Validate_reads_the_bank_directory_from_the_environment_like_every_other_command()
    {
        await File.WriteAllTextAsync(Path.Combine(_scratch, "bad.yaml"), "questions: [");
        var (exit, _, error) = await RunWithEnvironment(new() { ["MOCKINGBIRD_QuestionBank__Directory"] = _scratch }, string.Empty, "validate");

        Assert.Equal(1, exit);
        Assert.Contains("bad.yaml", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_comment_opening_an_answer_is_part_of_the_answer_not_a_command()
    {
        var (exit, output, _) = await Run("// numerically stable version\nsubtract the max first because exp overflows on large inputs.\n.\n", "--bank", RepositoryPaths.QuestionBank, "practice", "ml-coding", "--questions", "1", "--seed", "1");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("Unknown command", output, StringComparison.Ordinal);
        Assert.Contains("(answer recorded: 14 words", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_fails_on_a_prompt_that_uses_an_undeclared_variable()
    {
        Directory.CreateDirectory(Path.Combine(_scratch, "judge-theory"));
        await File.WriteAllTextAsync(Path.Combine(_scratch, "judge-theory", "v1.yaml"), "name: judge-theory\ntemplate: '<message role=\"user\">{{$answer}}</message>'\n");
        var (exit, _, error) = await RunWithEnvironment(new() { ["MOCKINGBIRD_Prompts__Directory"] = _scratch }, string.Empty, "--bank", RepositoryPaths.QuestionBank, "validate");

        Assert.Equal(1, exit);
        Assert.Contains("prompts/judge-theory/v1.yaml: the template uses {{$answer}} but input_variables does not declare it", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Practice_with_the_llm_judge_and_a_broken_prompt_stops_before_the_first_question_naming_the_problem()
    {
        Directory.CreateDirectory(Path.Combine(_scratch, "judge-theory"));
        await File.WriteAllTextAsync(Path.Combine(_scratch, "judge-theory", "v1.yaml"), "name: judge-theory\ntemplate: '<message role=\"user\">{{$answer}}</message>'\n");
        var settings = new Dictionary<string, string>
        {
            ["MOCKINGBIRD_Llm__Provider"] = "OpenAICompatible",
            ["MOCKINGBIRD_Llm__Endpoint"] = "http://127.0.0.1:9/v1",
            ["MOCKINGBIRD_Llm__Model"] = "any",
            ["MOCKINGBIRD_Prompts__Directory"] = _scratch,
        };

        var (exit, output, error) = await RunWithEnvironment(settings, "An answer.\n.\n", "--bank", RepositoryPaths.QuestionBank, "practice", "theory", "--questions", "1", "--seed", "1");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal(
            ["The prompts are invalid:", "judge-theory/v1.yaml: the template uses {{$answer}} but input_variables does not declare it"],
            error.TrimEnd().Split(Environment.NewLine));
    }

    [Fact]
    public async Task An_unreachable_llm_is_one_clear_line_and_the_offline_judge_answers()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var settings = new Dictionary<string, string>
        {
            ["MOCKINGBIRD_Llm__Provider"] = "OpenAICompatible",
            ["MOCKINGBIRD_Llm__Endpoint"] = $"http://127.0.0.1:{port}/v1",
            ["MOCKINGBIRD_Llm__Model"] = "any",
            ["MOCKINGBIRD_Llm__ApiKey"] = "sk-never-printed",
            ["MOCKINGBIRD_Llm__MaxRetries"] = "0",
            ["MOCKINGBIRD_Prompts__Directory"] = Path.Combine(RepositoryPaths.Root, "prompts"),
        };
        var (exit, output, error) = await RunWithEnvironment(settings, "Because the variance grows, the softmax saturates.", "--bank", RepositoryPaths.QuestionBank, "judge", "--question", "theory-kv-cache-and-gqa", "--answer-file", "-");

        Assert.Equal(0, exit);
        Assert.Contains($"The LLM endpoint http://127.0.0.1:{port}/v1 is unreachable", error, StringComparison.Ordinal);
        Assert.Contains("LLM judge unavailable", output, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-never-printed", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_llm_without_a_key_stops_with_the_setting_to_fix()
    {
        var (exit, _, error) = await RunWithEnvironment(new() { ["MOCKINGBIRD_Llm__Provider"] = "OpenAI" }, "x", "--bank", RepositoryPaths.QuestionBank, "judge", "--question", "theory-kv-cache-and-gqa", "--answer-file", "-");

        Assert.Equal(1, exit);
        Assert.Contains("Configuration problem: Llm:Model is required", error, StringComparison.Ordinal);
        Assert.Contains("MOCKINGBIRD_Llm__ApiKey", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_the_readme_shows_is_what_practice_prints_for_what_it_shows_typed()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "README.md"));
        var shown = readme[readme.IndexOf("## What a session looks like", StringComparison.Ordinal)..];
        var lines = shown[(shown.IndexOf("```text\n", StringComparison.Ordinal) + "```text\n".Length)..shown.IndexOf("\n```\n", StringComparison.Ordinal)].Split('\n');
        var command = lines[0].Split(" -- ")[1].Split(' ');
        var typed = string.Concat(lines.Where(l => l.StartsWith('>')).Select(l => l.Length > 1 ? l[2..] + "\n" : "\n"));
        var printed = lines.Skip(1).Where(l => !l.StartsWith('>')).ToList();

        var (exit, output, _) = await Run(typed, ["--bank", RepositoryPaths.QuestionBank, .. command]);

        Assert.Equal(0, exit);
        Assert.Equal(string.Join('\n', printed).TrimEnd(), output.ReplaceLineEndings("\n").TrimEnd());
    }

    [Theory]
    [InlineData("--seed", "abc", "--seed takes a whole number (the seed printed at the start of a run); 'abc' is not one.")]
    [InlineData("--seed", "-1", "--seed takes a whole number (the seed printed at the start of a run); '-1' is not one.")]
    [InlineData("--questions", "two", "--questions takes a whole number (how many main questions to ask); 'two' is not one.")]
    public async Task A_number_option_given_something_else_is_refused_in_words_not_type_names(string option, string value, string message)
    {
        var (exit, output, error) = await Run(string.Empty, "--bank", RepositoryPaths.QuestionBank, "practice", "theory", option, value);

        Assert.NotEqual(0, exit);
        Assert.Contains(message, error + output, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blank_lines_before_the_end_of_input_or_end_are_no_answer_and_get_no_advice_nobody_can_follow()
    {
        var (atEnd, endOfInput, _) = await Run("\n  \n", "--bank", RepositoryPaths.QuestionBank, "practice", "theory", "--questions", "2", "--seed", "7");
        var (atCommand, endCommand, _) = await Run("\n\n/end\n", "--bank", RepositoryPaths.QuestionBank, "practice", "theory", "--questions", "2", "--seed", "7");

        Assert.Equal((0, 0), (atEnd, atCommand));
        Assert.All([endOfInput, endCommand], output =>
        {
            Assert.DoesNotContain("An empty answer can't be judged", output, StringComparison.Ordinal);
            Assert.Contains("=== Scorecard ===", output, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Someone_typing_at_a_terminal_is_prompted_for_each_line_and_piped_input_is_not()
    {
        using var typedOut = new StringWriter();
        var typedExit = await MockingbirdCli.RunAsync(
            ["--bank", RepositoryPaths.QuestionBank, "practice", "theory", "--questions", "2", "--seed", "7"],
            new CliStreams(new StringReader("An answer\n.\n/end\n"), typedOut, TextWriter.Null, Typed: true));
        var (pipedExit, piped, _) = await Run("An answer\n.\n/end\n", "--bank", RepositoryPaths.QuestionBank, "practice", "theory", "--questions", "2", "--seed", "7");

        Assert.Equal((0, 0), (typedExit, pipedExit));
        Assert.Contains("/help\n> ", typedOut.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("> ", piped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_says_what_each_command_does_and_keeps_the_answer_being_written()
    {
        var (exit, output, _) = await Run("Because the variance grows,\n/help\nthe softmax saturates.\n.\n/end\n", "--bank", RepositoryPaths.QuestionBank, "practice", "theory", "--questions", "2", "--seed", "7");

        Assert.Equal(0, exit);
        foreach (var command in new[] { "/hint", "/skip", "/repeat", "/followup", "/end", "/help" })
        {
            Assert.Matches($@"\n  {command} +\S", output);
        }

        Assert.Contains("(answer recorded: 7 words", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_in_the_middle_of_an_answer_acts_and_end_keeps_the_draft()
    {
        var (exit, output, _) = await Run("Because the variance grows with dimension,\n/hint\nthe softmax saturates.\n/end\n", "--bank", RepositoryPaths.QuestionBank, "practice", "theory", "--questions", "2", "--seed", "7");

        Assert.Equal(0, exit);
        Assert.Contains("Hint 1/2:", output, StringComparison.Ordinal);
        Assert.Contains("(answer recorded: 9 words", output, StringComparison.Ordinal);
        Assert.Contains("=== Scorecard ===", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_settled_without_a_redis_says_where_settled_disputes_are_kept()
    {
        var (exit, output, error) = await Run(string.Empty, "eval", "--settled");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("MOCKINGBIRD_Redis__Configuration", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_settled_reports_the_recorded_judgements_agreement_with_the_peers_per_prompt_version_from_the_bots_redis()
    {
        await using var server = await RedisServer.StartAsync();
        await using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(server.Endpoint))
        {
            var store = new Sessions.Redis.RedisDisputeStore(redis, Microsoft.Extensions.Options.Options.Create(new Sessions.Redis.RedisOptions { Configuration = server.Endpoint }));
            foreach (var (feedback, judged) in new[] { ("f-1", 2), ("f-2", 4) })
            {
                var dispute = SampleDisputes.Dispute(feedbackId: feedback, judgeScore: judged);
                await store.OpenAsync(dispute, default);
                foreach (var voter in new[] { "v-1", "v-2", "v-3" })
                {
                    await store.VoteAsync(dispute.Id, voter, SampleDisputes.Place, 2, 3, SampleDisputes.Start.AddDays(-1), SampleDisputes.Start, default);
                }
            }
        }

        var (exit, output, error) = await RunWithEnvironment(
            new() { ["MOCKINGBIRD_Redis__Configuration"] = server.Endpoint }, string.Empty, "--bank", RepositoryPaths.QuestionBank, "eval", "--settled", "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetProperty("cases").GetInt32());
        var recorded = Assert.Single(json.RootElement.GetProperty("recorded").EnumerateArray());
        Assert.Equal("judge-theory/v1", recorded.GetProperty("promptVersion").GetString());
        Assert.Equal(0.5, recorded.GetProperty("agreement").GetDouble());
        Assert.Equal(1.0, recorded.GetProperty("meanAbsoluteDifference").GetDouble());
        Assert.Equal("offline", json.RootElement.GetProperty("judge").GetString());
    }

    [Fact]
    public async Task Ratings_without_a_redis_say_where_ratings_are_kept()
    {
        var (exit, _, error) = await Run(string.Empty, "ratings");

        Assert.Equal(1, exit);
        Assert.Contains("MOCKINGBIRD_Redis__Configuration", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ratings_print_each_arm_with_its_votes_and_helpful_share_from_the_bots_redis()
    {
        await using var server = await RedisServer.StartAsync();
        await using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(server.Endpoint))
        {
            var ratings = new Sessions.Redis.RedisFeedbackRatings(
                redis,
                Microsoft.Extensions.Options.Options.Create(new Sessions.Redis.RedisOptions { Configuration = server.Endpoint }));
            for (var person = 0; person < 10; person++)
            {
                await ratings.RecordAsync(new Chat.Ratings.FeedbackRating($"p{person}", "m1", "judge-design-2026-12/v2", Helpful: person < 8), default);
            }

            await ratings.RecordAsync(new Chat.Ratings.FeedbackRating("p0", "m2", "offline-rubric", Helpful: false), default);
        }

        var (exit, output, _) = await Run(string.Empty, "ratings", "--redis", server.Endpoint);

        Assert.Equal(0, exit);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^judge-design-2026-12/v2\s+8\s+2\s+80% \(49%–94%\)$", lines[1]);
        Assert.Matches(@"^offline-rubric\s+0\s+1\s+0% \(0%–79%\)$", lines[2]);
        Assert.Equal("judge-design-2026-12: for a decision that stays valid however often you look, run `mockingbird experiments report judge-design-2026-12`", lines[3]);
    }

    [Fact]
    public async Task Ratings_from_a_redis_that_is_down_are_one_line_without_the_connection_string()
    {
        await using var server = await RedisServer.StartAsync();
        await server.StopAsync();

        var (exit, output, error) = await Run(string.Empty, "ratings", "--redis", $"{server.Endpoint},password=never-printed,connectTimeout=300,asyncTimeout=300");

        Assert.Equal(1, exit);
        Assert.Contains("Could not read the ratings from Redis", error, StringComparison.Ordinal);
        Assert.DoesNotContain("never-printed", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ratings_with_a_redis_setting_that_cannot_be_read_name_the_setting()
    {
        var (exit, _, error) = await Run(string.Empty, "ratings", "--redis", "127.0.0.1:6379,colour=blue");

        Assert.Equal(1, exit);
        Assert.Contains("Redis:Configuration could not be read", error, StringComparison.Ordinal);
        Assert.DoesNotContain("colour", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
