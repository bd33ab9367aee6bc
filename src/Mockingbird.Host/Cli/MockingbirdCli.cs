using System.CommandLine;
using System.CommandLine.Parsing;
using System.Numerics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Progress;
using Mockingbird.Chat.Ratings;
using Mockingbird.Evaluation;
using Mockingbird.Experiments;
using Mockingbird.Host.Bot;
using Mockingbird.Host.Experiments;
using Mockingbird.Host.Practice;
using Mockingbird.Host.Rendering;
using Mockingbird.Interview;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Llm;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Judging.Rubric;
using Mockingbird.Questions;
using Mockingbird.Sessions.Redis;

namespace Mockingbird.Host.Cli;

/// <summary>The terminal's standard streams, passed in so tests can drive the CLI in-process.</summary>
/// <param name="Typed">Someone types at a terminal (neither side redirected), so practice shows a prompt for input.</param>
public sealed record CliStreams(TextReader In, TextWriter Out, TextWriter Error, bool Typed = false)
{
    public static CliStreams FromConsole() => new(Console.In, Console.Out, Console.Error, Typed: !Console.IsInputRedirected && !Console.IsOutputRedirected);
}

/// <summary>The command line: <c>practice</c>, <c>bank list</c>, <c>judge</c>, <c>eval</c>, <c>validate</c>, <c>bot</c>, <c>ratings</c>, <c>history</c> and <c>experiments</c>.</summary>
public static class MockingbirdCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static async Task<int> RunAsync(string[] args, CliStreams streams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var bankOption = new Option<string?>("--bank") { Description = "Question bank directory (default: ./questionbank, else the one shipped with the app).", Recursive = true };
        var root = new RootCommand("Mockingbird: mock interviews for ML and LLM engineers.")
        {
            bankOption,
            PracticeCommand(bankOption, streams),
            BankCommand(bankOption, streams),
            JudgeCommand(bankOption, streams),
            EvalCommand(bankOption, streams),
            ValidateCommand(bankOption, streams),
            BotCommand(streams),
            RatingsCommand(streams),
            HistoryCommand(streams),
            ExperimentsCommand(streams),
        };
        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = streams.Out, Error = streams.Error }, cancellationToken);
    }

    private static Command BotCommand(CliStreams streams)
    {
        var discord = new Command("discord", "Run the Discord bot. Settings: MOCKINGBIRD_Discord__BotToken, MOCKINGBIRD_Discord__ApplicationId, MOCKINGBIRD_Redis__Configuration (see README).");
        discord.SetAction((_, cancellationToken) => BotHost.RunAsync(BotPlatform.Discord, streams.Error, settings: null, cancellationToken));
        var slack = new Command("slack", "Run the Slack bot. Settings: MOCKINGBIRD_Slack__BotToken, MOCKINGBIRD_Slack__AppToken (Socket Mode) or MOCKINGBIRD_Slack__SigningSecret (HTTP), MOCKINGBIRD_Redis__Configuration (see README).");
        slack.SetAction((_, cancellationToken) => BotHost.RunAsync(BotPlatform.Slack, streams.Error, settings: null, cancellationToken));
        return new Command("bot", "Run the chat bot for a platform.") { discord, slack };
    }

    private static Command RatingsCommand(CliStreams streams)
    {
        var redis = new Option<string?>("--redis") { Description = "The bot's Redis (default: MOCKINGBIRD_Redis__Configuration or MOCKINGBIRD_ConnectionStrings__Redis, as the bot reads them)." };
        var command = new Command("ratings", "How people rated the bot's feedback (👍/👎), per experiment variant, prompt version or offline judge.") { redis };
        command.SetAction(async (result, cancellationToken) =>
        {
            IConfiguration configuration = CoreServices.Configuration(bankDirectory: null);
            if (result.GetValue(redis) is { } given)
            {
                configuration = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection([new($"{RedisOptions.Section}:Configuration", given)]).Build();
            }

            if (string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Configuration"]) && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")))
            {
                await streams.Error.WriteLineAsync("Ratings are kept in the bot's Redis: give --redis or set MOCKINGBIRD_Redis__Configuration.");
                return Failed;
            }

            try
            {
                // One read, so a server that is down fails at once instead of waiting in the bot's reconnect backlog.
                var options = StackExchange.Redis.ConfigurationOptions.Parse(RedisConnection.ReadOptions(configuration).Configuration!);
                options.AbortOnConnectFail = true;
                var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options);
                await using var provider = new ServiceCollection().AddSingleton(configuration).AddRedisSessionStore(connection).BuildServiceProvider();
                var summary = await provider.GetRequiredService<IFeedbackRatings>().SummaryAsync(cancellationToken);
                await streams.Out.WriteLineAsync(RatingsReport.Render(summary));
                return Ok;
            }
            catch (OptionsValidationException ex)
            {
                return await FailedToLoadAsync(streams, ex);
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                // The exception's message can carry the connection string, password included: name the type only.
                await streams.Error.WriteLineAsync($"Could not read the ratings from Redis ({ex.GetType().Name}); check the Redis setting and that the server is up.");
                return Failed;
            }
        });
        return command;
    }

    private static Command HistoryCommand(CliStreams streams)
    {
        var candidate = new Argument<string>("candidate") { Description = "Whose history, as the bot names candidates: discord:<user id> or slack:<user id>." };
        var redis = new Option<string?>("--redis") { Description = "The bot's Redis (default: MOCKINGBIRD_Redis__Configuration or MOCKINGBIRD_ConnectionStrings__Redis, as the bot reads them)." };
        var command = new Command("history", "A candidate's progress as the bot's history command sums it up: best and weakest dimensions, the trend, the last interviews.") { candidate, redis };
        command.SetAction(async (result, cancellationToken) =>
        {
            IConfiguration configuration = CoreServices.Configuration(bankDirectory: null);
            if (result.GetValue(redis) is { } given)
            {
                configuration = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection([new($"{RedisOptions.Section}:Configuration", given)]).Build();
            }

            if (string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Configuration"]) && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")))
            {
                await streams.Error.WriteLineAsync("Histories are kept in the bot's Redis: give --redis or set MOCKINGBIRD_Redis__Configuration.");
                return Failed;
            }

            try
            {
                // One read, so a server that is down fails at once instead of waiting in the bot's reconnect backlog.
                var options = StackExchange.Redis.ConfigurationOptions.Parse(RedisConnection.ReadOptions(configuration).Configuration!);
                options.AbortOnConnectFail = true;
                var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options);
                await using var provider = new ServiceCollection().AddSingleton(configuration).AddLogging().AddRedisSessionStore(connection).BuildServiceProvider();
                return await PrintHistoryAsync(provider.GetRequiredService<ISessionStore>(), result.GetValue(candidate)!, streams, cancellationToken);
            }
            catch (OptionsValidationException ex)
            {
                return await FailedToLoadAsync(streams, ex);
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                // The exception's message can carry the connection string, password included: name the type only.
                await streams.Error.WriteLineAsync($"Could not read the history from Redis ({ex.GetType().Name}); check the Redis setting and that the server is up.");
                return Failed;
            }
        });
        return command;
    }

    /// <summary>The same summary the bot's history command replies with; the chart stays in chat.</summary>
    internal static async Task<int> PrintHistoryAsync(ISessionStore store, string candidateId, CliStreams streams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(streams);
        await streams.Out.WriteLineAsync(ProgressSummary.Text(await store.HistoryAsync(candidateId, cancellationToken)));
        return Ok;
    }

    private static Command ExperimentsCommand(CliStreams streams)
    {
        var list = new Command("list", "The experiments, their arms and where each stands.");
        list.SetAction((_, cancellationToken) => WithExperiments(streams, reports => PrintExperimentsAsync(reports, streams, cancellationToken), cancellationToken));
        var id = new Argument<string>("id") { Description = "The experiment's id, as 'experiments list' shows it." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON: the design, each arm with its metrics, each comparison with its p-value, interval and decision, the planned sample, breaches and stops." };
        var report = new Command("report", "One experiment's report: every arm's metrics, the always-valid decision, guardrails and stops.") { id, json };
        report.SetAction((result, cancellationToken) =>
            WithExperiments(streams, reports => PrintReportAsync(reports, result.GetValue(id)!, result.GetValue(json), streams, cancellationToken), cancellationToken));
        return new Command("experiments", "Prompt experiments, read from the store the bot uses (its Redis when configured).") { list, report };
    }

    internal static async Task<int> PrintExperimentsAsync(ExperimentReports reports, CliStreams streams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(streams);
        await streams.Out.WriteLineAsync(ExperimentReportText.List(await reports.AllAsync(cancellationToken)));
        return Ok;
    }

    internal static async Task<int> PrintReportAsync(ExperimentReports reports, string experimentId, bool json, CliStreams streams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(streams);
        if (await reports.ReportAsync(experimentId, cancellationToken) is not { } report)
        {
            await streams.Error.WriteLineAsync($"No experiment '{experimentId}'. 'experiments list' shows the ids.");
            return Failed;
        }

        await streams.Out.WriteLineAsync(json
            ? JsonSerializer.Serialize(ExperimentReportJson.From(report), CliJsonContext.Default.ExperimentReportJson)
            : ExperimentReportText.Render(report));
        return Ok;
    }

    /// <summary>
    /// The experiments as the bot sees them: its catalog and its store (Redis when configured). A store in this
    /// process's memory starts empty, which stderr says so that an empty report is not mistaken for no data.
    /// </summary>
    private static async Task<int> WithExperiments(CliStreams streams, Func<ExperimentReports, Task<int>> run, CancellationToken cancellationToken)
    {
        var configuration = CoreServices.Configuration(bankDirectory: null);
        var hasRedis = !string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Configuration"]) || !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis"));
        ServiceProvider built;
        try
        {
            var prompts = await LlmJudgeServiceCollectionExtensions.LoadPromptsAsync(configuration, cancellationToken);
            var services = new ServiceCollection().AddSingleton(configuration);
            services.AddInterviewCore(configuration, JudgingMode.Inline, prompts);
            if (hasRedis)
            {
                // One read, so a server that is down fails at once instead of waiting in the bot's reconnect backlog.
                var options = StackExchange.Redis.ConfigurationOptions.Parse(RedisConnection.ReadOptions(configuration).Configuration!);
                options.AbortOnConnectFail = true;
                services.AddRedisSessionStore(await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options));
                services.AddRedisExperimentStore();
            }

            services.AddExperiments(configuration);
            built = services.BuildServiceProvider();
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidPromptsException)
        {
            return await FailedToLoadAsync(streams, ex);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The exception's message can carry the connection string, password included: name the type only.
            await streams.Error.WriteLineAsync($"Could not reach the bot's Redis ({ex.GetType().Name}); check the Redis setting and that the server is up.");
            return Failed;
        }

        await using var provider = built;
        try
        {
            if (provider.GetRequiredService<IExperimentStore>() is InMemoryExperimentStore)
            {
                await streams.Error.WriteLineAsync(hasRedis
                    ? "This build keeps experiments in each bot process's memory, out of this command's reach: nothing recorded shows here."
                    : "No Redis configured (MOCKINGBIRD_Redis__Configuration): experiments are read from this process's own store, which is empty.");
            }

            return await run(provider.GetRequiredService<ExperimentReports>());
        }
        catch (OptionsValidationException ex)
        {
            return await FailedToLoadAsync(streams, ex);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            await streams.Error.WriteLineAsync($"Could not read the experiments from Redis ({ex.GetType().Name}); check the Redis setting and that the server is up.");
            return Failed;
        }
    }

    private static Command PracticeCommand(Option<string?> bankOption, CliStreams streams)
    {
        var plan = new Argument<string>("plan") { Description = $"One of: {string.Join(", ", Vocabulary.PlanWords)}." };
        plan.AcceptOnlyFromAmong([.. Vocabulary.PlanWords]);
        var seed = new Option<ulong?>("--seed")
        {
            Description = "Replay the same questions: the seed printed at the start of a run.",
            CustomParser = result => WholeNumber<ulong>(result, "--seed", "the seed printed at the start of a run"),
        };
        var level = new Option<string?>("--level") { Description = $"Only questions for this level: {string.Join(", ", Vocabulary.LevelWords)}." };
        level.AcceptOnlyFromAmong([.. Vocabulary.LevelWords]);
        var track = new Option<string?>("--track") { Description = $"Only questions for this track: {string.Join(", ", Vocabulary.TrackWords)}." };
        track.AcceptOnlyFromAmong([.. Vocabulary.TrackWords]);
        var questions = new Option<int?>("--questions")
        {
            Description = "How many main questions (a full loop spreads them over its stages).",
            CustomParser = result => WholeNumber<int>(result, "--questions", "how many main questions to ask"),
        };
        var command = new Command("practice", "Run a mock interview in this terminal (or from piped input).") { plan, seed, level, track, questions };
        command.SetAction(async (result, cancellationToken) =>
        {
            // The parser already refused anything outside the vocabulary, so these parses cannot fail.
            var options = new InterviewOptions(
                Vocabulary.TryParsePlan(result.GetValue(plan), out var parsedPlan) ? parsedPlan : InterviewPlan.Full,
                Vocabulary.TryParseLevel(result.GetValue(level), out var parsedLevel) ? parsedLevel : null,
                Vocabulary.TryParseTrack(result.GetValue(track), out var parsedTrack) ? parsedTrack : null,
                result.GetValue(questions));
            if (options.Problem() is { } problem)
            {
                await streams.Error.WriteLineAsync(problem);
                return Usage;
            }

            return await WithServices(result.GetValue(bankOption), streams, async services =>
            {
                var chosenSeed = result.GetValue(seed) ?? (ulong)services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
                await streams.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Seed {chosenSeed} (replay this interview with --seed {chosenSeed})"));
                var runner = new PracticeRunner(services.GetRequiredService<InterviewService>());

                // While the candidate reads and types, so the first answer of each stage need not wait for its points.
                using var warmUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var warming = WarmUpAsync(services, warmUp.Token);
                try
                {
                    return await runner.RunAsync(options, chosenSeed, streams.In, streams.Out, streams.Typed, cancellationToken);
                }
                finally
                {
                    await warmUp.CancelAsync();
                    await warming;
                }
            });
        });
        return command;
    }

    /// <summary>Loads the offline judge's model and embeds the bank's points, when the offline judge is the one answering.</summary>
    private static Task WarmUpAsync(ServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<IAnswerJudge>() is RubricJudge judge
            ? Task.Run(
                () =>
                {
                    try
                    {
                        judge.PrepareBank(cancellationToken);
                    }
                    catch (Exception)
                    {
                        // The interview ended first, or the model failed (it says so itself): an answer judged later
                        // embeds what it needs, or falls back to phrases.
                    }
                },
                CancellationToken.None)
            : Task.CompletedTask;

    /// <summary>An option's whole number, or a parse error that says what it takes in words, not in .NET type names.</summary>
    private static T? WholeNumber<T>(ArgumentResult result, string option, string what)
        where T : struct, IBinaryInteger<T>
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (T.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{option} takes a whole number ({what}); '{token}' is not one.");
        return null;
    }

    private static Command BankCommand(Option<string?> bankOption, CliStreams streams)
    {
        var stage = new Option<string?>("--stage") { Description = $"Only this stage: {string.Join(", ", Vocabulary.StageWords)}." };
        stage.AcceptOnlyFromAmong([.. Vocabulary.StageWords]);
        var json = new Option<bool>("--json") { Description = "Print a JSON array (id, stage, topics, levels, tracks, prompt, rubricPoints, dimensions)." };
        var list = new Command("list", "List the bank's questions.") { stage, json };
        list.SetAction((result, _) => WithServices(result.GetValue(bankOption), streams, async services =>
        {
            var bank = services.GetRequiredService<QuestionBank>();
            var questions = bank.Questions.AsEnumerable();
            if (Vocabulary.TryParseStage(result.GetValue(stage), out var onlyStage))
            {
                questions = questions.Where(q => q.Stage == onlyStage);
            }

            IReadOnlyList<QuestionListing> listings = [.. questions.Select(QuestionListing.From)];
            if (result.GetValue(json))
            {
                await streams.Out.WriteLineAsync(JsonSerializer.Serialize(listings, CliJsonContext.Default.IReadOnlyListQuestionListing));
                return Ok;
            }

            // Columns as wide as their longest value, so a long id never pushes its row out of line.
            var idWidth = listings.Select(q => q.Id.Length).DefaultIfEmpty(0).Max();
            var stageWidth = listings.Select(q => q.Stage.Length).DefaultIfEmpty(0).Max();
            var levelsWidth = listings.Select(q => string.Join('/', q.Levels).Length).DefaultIfEmpty(0).Max();
            foreach (var q in listings)
            {
                var prompt = q.Prompt.Length > 90 ? string.Concat(q.Prompt.AsSpan(0, 89), "…") : q.Prompt;
                await streams.Out.WriteLineAsync($"{q.Id.PadRight(idWidth)} {q.Stage.PadRight(stageWidth)} {string.Join('/', q.Levels).PadRight(levelsWidth)} {prompt}");
            }

            await streams.Out.WriteLineAsync($"{listings.Count} question(s)");
            return Ok;
        }));
        return new Command("bank", "Inspect the question bank.") { list };
    }

    private static Command JudgeCommand(Option<string?> bankOption, CliStreams streams)
    {
        var questionId = new Option<string?>("--question") { Description = "Id of a bank question." };
        var questionFile = new Option<string?>("--question-file") { Description = "A YAML file holding one question in the bank's schema." };
        var answerFile = new Option<string>("--answer-file") { Description = "The answer to judge ('-' reads standard input).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the feedback as JSON." };
        var command = new Command("judge", "Judge one answer to one question and print the feedback.") { questionId, questionFile, answerFile, json };
        command.SetAction((result, cancellationToken) => WithServices(result.GetValue(bankOption), streams, async services =>
        {
            Question question;
            if (result.GetValue(questionFile) is { } file)
            {
                question = QuestionBankLoader.LoadSingle(file);
            }
            else if (result.GetValue(questionId) is { } id)
            {
                if (services.GetRequiredService<QuestionBank>().Find(id) is not { } found)
                {
                    await streams.Error.WriteLineAsync($"No question '{id}' in the bank. 'bank list' shows the ids.");
                    return Failed;
                }

                question = found;
            }
            else
            {
                await streams.Error.WriteLineAsync("Give --question <id> or --question-file <yaml>.");
                return Usage;
            }

            var limit = services.GetRequiredService<InterviewRules>().MaxAnswerCharacters;
            var (answer, problem) = await ReadAnswerAsync(result.GetValue(answerFile)!, streams.In, limit, cancellationToken);
            if (answer is null)
            {
                await streams.Error.WriteLineAsync(problem);
                return Failed;
            }

            var feedback = await services.GetRequiredService<IAnswerJudge>().JudgeAsync(new JudgeRequest(question, null, answer), cancellationToken);
            await streams.Out.WriteLineAsync(result.GetValue(json)
                ? JsonSerializer.Serialize(feedback, CliJsonContext.Default.Feedback)
                : TextRenderer.Feedback(feedback, $"Feedback on {question.Id}"));
            return Ok;
        }));
        return command;
    }

    private static Command EvalCommand(Option<string?> bankOption, CliStreams streams)
    {
        var judge = new Option<string>("--judge") { Description = "Which judge to measure: offline (the rubric judge, matching evidence phrases and meaning), phrases (the rubric judge by evidence phrases alone, as the LLM judge's fallback runs it) or llm (the configured LLM judge).", DefaultValueFactory = _ => "offline" };
        judge.AcceptOnlyFromAmong("offline", "phrases", "llm");
        var evalDirectory = new Option<string?>("--eval") { Description = "The eval set directory (default: ./eval)." };
        var json = new Option<bool>("--json") { Description = "Print the figures, overall and per stage, as JSON." };
        var settled = new Option<bool>("--settled") { Description = "Measure the judge on the disputes peers settled (read from the bot's Redis) instead of the eval set: its agreement with the peers per prompt version, as recorded and as this judge scores now." };
        var command = new Command("eval", "Judge the labelled answers of the eval set and print how well the judge agrees with their labels.") { judge, evalDirectory, json, settled };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(settled))
            {
                return await EvalSettledAsync(result.GetValue(bankOption), result.GetValue(judge)!, result.GetValue(json), streams, cancellationToken);
            }

            var directory = ContentDirectory.Resolve(result.GetValue(evalDirectory) ?? "eval");
            if (!Directory.Exists(directory))
            {
                await streams.Error.WriteLineAsync($"No eval set at {directory}: give --eval <dir> (the repository keeps it in eval/).");
                return Usage;
            }

            var judgeName = result.GetValue(judge)!;
            return await WithServices(result.GetValue(bankOption), streams, async services =>
            {
                if (await MeasuredJudgeAsync(judgeName, services, streams) is not { } measured)
                {
                    return Failed;
                }

                var (set, problems) = EvalSetLoader.Check(directory, services.GetRequiredService<QuestionBank>());
                if (set is null)
                {
                    foreach (var problem in problems)
                    {
                        await streams.Error.WriteLineAsync(problem.ToString());
                    }

                    await streams.Error.WriteLineAsync($"Invalid eval set: {problems.Count} problem(s).");
                    return Failed;
                }

                var report = EvalReport.From(judgeName, await EvalRunner.RunAsync(set, measured, EvalRunner.DefaultParallelism, cancellationToken));
                await streams.Out.WriteLineAsync(result.GetValue(json)
                    ? JsonSerializer.Serialize(report, CliJsonContext.Default.EvalReport)
                    : report.ToTable());
                return Ok;
            });
        });
        return command;
    }

    /// <summary>The judge <c>eval --judge</c> names; null, with the reason on stderr, when the LLM judge is asked for and none is configured.</summary>
    private static async Task<IAnswerJudge?> MeasuredJudgeAsync(string judgeName, ServiceProvider services, CliStreams streams)
    {
        if (judgeName != "llm")
        {
            return judgeName == "phrases" ? new RubricJudge() : services.GetRequiredService<RubricJudge>();
        }

        if (services.GetRequiredService<IOptions<LlmOptions>>().Value.Provider == LlmProvider.None)
        {
            await streams.Error.WriteLineAsync("No LLM judge is configured: set MOCKINGBIRD_Llm__Provider, MOCKINGBIRD_Llm__Model and its endpoint or key (see README), or use --judge offline.");
            return null;
        }

        return services.GetRequiredService<IAnswerJudge>();
    }

    /// <summary>The judge on settled disputes: the recorded judgements' agreement with the peers, then this judge's.</summary>
    private static async Task<int> EvalSettledAsync(string? bankDirectory, string judgeName, bool asJson, CliStreams streams, CancellationToken cancellationToken)
    {
        var (cases, problem) = await SettledDisputes.ReadAsync(CoreServices.Configuration(bankDirectory), cancellationToken);
        if (cases is null)
        {
            await streams.Error.WriteLineAsync(problem);
            return Failed;
        }

        return await WithServices(bankDirectory, streams, async services =>
        {
            if (await MeasuredJudgeAsync(judgeName, services, streams) is not { } measured)
            {
                return Failed;
            }

            var run = await SettledCaseRunner.RunAsync(cases, services.GetRequiredService<QuestionBank>(), measured, EvalRunner.DefaultParallelism, cancellationToken);
            var report = SettledEvalReport.Of(cases, judgeName, run);
            await streams.Out.WriteLineAsync(asJson ? JsonSerializer.Serialize(report, CliJsonContext.Default.SettledEvalReport) : report.ToTable());
            return Ok;
        });
    }

    /// <summary>
    /// Reads the answer to judge, refusing one longer than the bots take. At most one character past the limit is
    /// read, so a huge file or an endless pipe costs no more than a valid answer.
    /// </summary>
    private static async Task<(string? Answer, string? Problem)> ReadAnswerAsync(string path, TextReader standardInput, int limit, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            var piped = await ReadAtMostAsync(standardInput, limit + 1, cancellationToken);
            return piped.Length <= limit
                ? (piped, null)
                : (null, string.Create(CultureInfo.InvariantCulture, $"The answer on standard input is more than {limit:N0} characters, the limit for an answer. Shorten it: nothing was judged."));
        }

        if (Directory.Exists(path))
        {
            return (null, $"{path} is a directory, not an answer file.");
        }

        if (!File.Exists(path))
        {
            return (null, $"Answer file not found: {path}");
        }

        using var reader = new StreamReader(path);
        var answer = await ReadAtMostAsync(reader, limit + 1, cancellationToken);
        if (answer.Length <= limit)
        {
            return (answer, null);
        }

        // A pipe or device given as a path has no length to report.
        var bytes = new FileInfo(path).Length;
        var size = bytes > limit ? string.Create(CultureInfo.InvariantCulture, $"is {bytes:N0} bytes") : string.Create(CultureInfo.InvariantCulture, $"holds more than {limit:N0} characters");
        return (null, string.Create(CultureInfo.InvariantCulture, $"Answer file {path} {size}; an answer may be at most {limit:N0} characters. Shorten it: nothing was judged."));
    }

    private static async Task<string> ReadAtMostAsync(TextReader reader, int characters, CancellationToken cancellationToken)
    {
        var buffer = new char[characters];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return new string(buffer, 0, read);
    }

    private static Command ValidateCommand(Option<string?> bankOption, CliStreams streams)
    {
        var command = new Command("validate", "Check the question bank and the prompts without starting anything; exits non-zero on a problem.");
        command.SetAction(async (result, cancellationToken) =>
        {
            var configuration = CoreServices.Configuration(result.GetValue(bankOption));
            var bankOptions = configuration.GetSection(QuestionBankOptions.Section).Get<QuestionBankOptions>() ?? new QuestionBankOptions();
            var (bank, problems) = QuestionBankLoader.Check(bankOptions.ResolveDirectory());
            foreach (var problem in problems)
            {
                await streams.Error.WriteLineAsync(problem.ToString());
            }

            var promptOptions = configuration.GetSection(PromptOptions.Section).Get<PromptOptions>() ?? new PromptOptions();
            var (library, _, promptProblems) = await promptOptions.LoadAndCheckAsync(cancellationToken);
            foreach (var problem in promptProblems)
            {
                await streams.Error.WriteLineAsync($"prompts/{problem}");
            }

            if (bank is null || promptProblems.Count > 0)
            {
                await streams.Error.WriteLineAsync($"Invalid: {problems.Count} question bank problem(s), {promptProblems.Count} prompt problem(s).");
                return Failed;
            }

            var perStage = string.Join(", ", bank.Questions.GroupBy(q => q.Stage).Select(g => $"{g.Key.ToWire()} {g.Count()}"));
            await streams.Out.WriteLineAsync($"Question bank OK: {bank.Count} questions ({perStage}).");
            await streams.Out.WriteLineAsync($"Prompts OK: {library.All.Count()} prompt versions ({string.Join(", ", library.All.Select(p => $"{p.Name}/{p.Version}"))}).");
            return Ok;
        });
        return command;
    }

    /// <summary>What the command line says of settings or prompts that failed to load: the problems themselves, never a stack.</summary>
    private static async Task<int> FailedToLoadAsync(CliStreams streams, Exception ex)
    {
        await streams.Error.WriteLineAsync(ex is OptionsValidationException invalid ? $"Configuration problem: {string.Join(" ", invalid.Failures)}" : ex.Message);
        return Failed;
    }

    /// <summary>
    /// Builds the services, says in one line when a configured LLM cannot be used, and turns a bank that fails to
    /// load, or settings that fail validation, into their messages and exit code 1.
    /// </summary>
    private static async Task<int> WithServices(string? bankDirectory, CliStreams streams, Func<ServiceProvider, Task<int>> run)
    {
        ServiceProvider built;
        try
        {
            built = await CoreServices.BuildAsync(bankDirectory, CancellationToken.None);
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidPromptsException)
        {
            return await FailedToLoadAsync(streams, ex);
        }

        await using var services = built;
        try
        {
            var llm = services.GetRequiredService<IOptions<LlmOptions>>().Value;
            if (await LlmProbe.ProblemAsync(llm, CancellationToken.None) is { } problem)
            {
                await streams.Error.WriteLineAsync(problem);
            }

            return await run(services);
        }
        catch (OptionsValidationException ex)
        {
            return await FailedToLoadAsync(streams, ex);
        }
        catch (QuestionBankException ex)
        {
            await streams.Error.WriteLineAsync(ex.Message);
            return Failed;
        }
    }
}
