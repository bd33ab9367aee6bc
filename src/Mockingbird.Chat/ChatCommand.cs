using System.Globalization;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Chat;

/// <summary>A <c>/mock</c> subcommand, whichever chat platform it came from.</summary>
public abstract record ChatCommand
{
    /// <summary>Every subcommand and what it does, for command registration and help.</summary>
    public static IReadOnlyList<(string Name, string Description)> Subcommands { get; } =
    [
        ("start", "Start a mock interview in a thread of its own"),
        ("hint", "A hint on the current question"),
        ("skip", "Skip the current question"),
        ("end", "End the interview now and get the scorecard"),
        ("resume", "Post the current question again (in a new thread if yours is gone)"),
        ("history", "Your completed interviews and the topics to work on"),
        ("forget-me", "Delete everything the bot keeps about you"),
        ("privacy", "What is recorded about you, and whether you take part in prompt experiments"),
        ("progress", "A private link to your own progress page"),
        ("drills", "Practice questions by direct message on your weakest areas, at growing intervals"),
        ("disputes", "Your disputed scores and how they stand; opt in or out of blind votes, or take a ballot"),
        ("dashboard", "A private link to the experiments page (server or workspace admins)"),
        ("admin", "List, report on or stop prompt experiments (server or workspace admins)"),
    ];

    /// <summary>The word after <c>start</c> that asks for the job description form.</summary>
    public const string JobWord = "job";

    /// <summary>What follows a subcommand's name, for those that take more than nothing.</summary>
    private static readonly Dictionary<string, string> Arguments = new(StringComparer.Ordinal)
    {
        ["privacy"] = "[experiments on|off]",
        ["drills"] = "[on [TIMEZONE] | off]",
        ["disputes"] = "[on | off | vote]",
        ["admin"] = "experiments list | report ID | stop ID [ARM]",
    };

    /// <summary>A subcommand by name, for the ones that take no options.</summary>
    public static ChatCommand Named(string name) => name switch
    {
        "hint" => new Hint(),
        "skip" => new Skip(),
        "end" => new EndInterview(),
        "resume" => new ResumeInterview(),
        "history" => new History(),
        "forget-me" => new ForgetMe(),
        "privacy" => new Privacy(null),
        "progress" => new Progress(),
        "drills" => new Drills(null, null),
        "disputes" => new Disputes(null),
        "dashboard" => new Dashboard(),
        "admin" => AdminWith(null, null, null),
        "help" or "" => new Help(),
        _ => new Unknown($"`{name}` is not a command I know."),
    };

    /// <summary>
    /// Builds a start from named values (a missing one means "any"); a problem is a sentence for the candidate.
    /// </summary>
    public static ChatCommand StartWith(string? plan, string? level, string? track, int? questions, bool withJob = false)
    {
        if (!Vocabulary.TryParsePlan(plan, out var parsedPlan))
        {
            return new Unknown($"Choose a plan: {string.Join(", ", Vocabulary.PlanWords)}.");
        }

        Level? parsedLevel = null;
        if (level is not null)
        {
            if (!Vocabulary.TryParseLevel(level, out var value))
            {
                return new Unknown($"Choose a level: {string.Join(", ", Vocabulary.LevelWords)}.");
            }

            parsedLevel = value;
        }

        Track? parsedTrack = null;
        if (track is not null)
        {
            if (!Vocabulary.TryParseTrack(track, out var value))
            {
                return new Unknown($"Choose a track: {string.Join(", ", Vocabulary.TrackWords)}.");
            }

            parsedTrack = value;
        }

        var options = new InterviewOptions(parsedPlan, parsedLevel, parsedTrack, questions);
        return options.Problem() is { } problem ? new Unknown(problem)
            : withJob ? new AskForJob(options)
            : new Start(options);
    }

    /// <summary>
    /// <c>privacy</c> with its choice for prompt experiments: none shows what is recorded, <c>on</c> or <c>off</c> changes it.
    /// </summary>
    public static ChatCommand PrivacyWith(string? experiments) => experiments?.ToLowerInvariant() switch
    {
        null => new Privacy(null),
        "on" => new Privacy(true),
        "off" => new Privacy(false),
        _ => new Unknown($"`{experiments}` is not a choice for experiments: say on or off."),
    };

    /// <summary>
    /// <c>drills</c> with its choice: none shows the state and the next drill, <c>on</c> (with an IANA time zone for
    /// quiet hours, e.g. Europe/Berlin) or <c>off</c> changes it.
    /// </summary>
    public static ChatCommand DrillsWith(string? state, string? timeZone)
    {
        switch (state?.ToLowerInvariant())
        {
            case null when timeZone is null:
                return new Drills(null, null);
            case "off" when timeZone is null:
                return new Drills(false, null);
            case "off":
                return new Unknown($"`drills off` takes nothing after it: drills {Arguments["drills"]}.");
            case "on" when timeZone is null:
                return new Drills(true, null);
            case "on" when TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) && zone.HasIanaId:
                return new Drills(true, zone.Id);
            case "on":
                return new Unknown($"`{timeZone}` is not a time zone I know: give an IANA name such as Europe/Berlin, America/New_York or Asia/Kolkata (UTC when none is given).");
            case null:
                return new Unknown($"Say on with the time zone: drills {Arguments["drills"]}.");
            default:
                return new Unknown($"`{state}` is not a choice for drills: say on or off.");
        }
    }

    /// <summary>
    /// <c>disputes</c> with its action: none shows whether the person votes, <c>on</c> or <c>off</c> changes it,
    /// <c>vote</c> asks for the next blind ballot.
    /// </summary>
    public static ChatCommand DisputesWith(string? action) => action?.ToLowerInvariant() switch
    {
        null => new Disputes(null),
        "on" => new Disputes(DisputeAction.On),
        "off" => new Disputes(DisputeAction.Off),
        "vote" => new Disputes(DisputeAction.Vote),
        _ => new Unknown($"`{action}` is not a choice for disputes: say on, off or vote."),
    };

    /// <summary><c>admin experiments</c> with its action and what it acts on; a problem is a sentence for the admin.</summary>
    public static ChatCommand AdminWith(string? action, string? experimentId, string? arm) => action?.ToLowerInvariant() switch
    {
        "list" when experimentId is null => new ListExperiments(),
        "report" when experimentId is not null && arm is null => new ReportExperiment(experimentId),
        "stop" when experimentId is not null => new StopArm(experimentId, arm),
        "list" => new Unknown("`admin experiments list` takes nothing after it."),
        "report" => new Unknown("Say which experiment: admin experiments report ID."),
        "stop" => new Unknown("Say which experiment: admin experiments stop ID [ARM]."),
        null => new Unknown($"Say what to do: admin {Arguments["admin"]}."),
        _ => new Unknown($"`{action}` is not an experiments action: say list, report or stop."),
    };

    /// <summary>
    /// Parses a command typed as text, e.g. <c>start system-design senior mlops 3</c>: after the plan, a level, a
    /// track, a number of questions and <c>job</c> (to paste a job description into a form) in any order.
    /// </summary>
    public static ChatCommand ParseText(string? text)
    {
        var words = (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 1 && words[0].Equals("drills", StringComparison.OrdinalIgnoreCase))
        {
            return words.Length > 3
                ? new Unknown($"Too many words: drills {Arguments["drills"]}.")
                : DrillsWith(words[1], words.ElementAtOrDefault(2));
        }

        if (words.Length > 1 && words[0].Equals("disputes", StringComparison.OrdinalIgnoreCase))
        {
            return words.Length > 2 ? new Unknown($"Too many words: disputes {Arguments["disputes"]}.") : DisputesWith(words[1]);
        }

        if (words.Length > 1 && words[0].ToLowerInvariant() is "privacy" or "admin")
        {
            return ParseSettings(words[0].ToLowerInvariant(), words[1..]);
        }

        if (words.Length == 0 || !words[0].Equals("start", StringComparison.OrdinalIgnoreCase))
        {
            return words.Length > 1 ? new Unknown($"`{words[0]}` takes nothing after it.") : Named(words.FirstOrDefault()?.ToLowerInvariant() ?? string.Empty);
        }

        if (words.Length == 1)
        {
            return new Unknown($"Say which interview: start {string.Join(" | ", Vocabulary.PlanWords)}.");
        }

        string? level = null, track = null;
        int? questions = null;
        var withJob = false;
        foreach (var word in words.Skip(2))
        {
            if (word.Equals(JobWord, StringComparison.OrdinalIgnoreCase))
            {
                withJob = true;
            }
            else if (Vocabulary.TryParseLevel(word, out _))
            {
                level = word;
            }
            else if (Vocabulary.TryParseTrack(word, out _))
            {
                track = word;
            }
            else if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                questions = count;
            }
            else
            {
                return new Unknown($"`{word}` is not a level ({string.Join(", ", Vocabulary.LevelWords)}), a track ({string.Join(", ", Vocabulary.TrackWords)}), a number of questions or `{JobWord}`.");
            }
        }

        return StartWith(words[1], level, track, questions, withJob);
    }

    /// <summary>
    /// A start's options as the words that follow <c>start</c>, so a form opened for the job description can carry
    /// them and hand them back to <see cref="ParseText"/> when it is sent.
    /// </summary>
    public static string StartWords(InterviewOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Join(' ', new[] { options.Plan.ToWire(), options.Level?.ToWire(), options.Track?.ToWire(), options.QuestionCount?.ToString(CultureInfo.InvariantCulture) }.OfType<string>());
    }

    /// <summary>How to use the command, for <c>help</c> and for a command that was not understood.</summary>
    public static string Usage(string command) =>
        $"{command} start PLAN [LEVEL] [TRACK] [QUESTIONS] [{JobWord}], where PLAN is one of {string.Join(", ", Vocabulary.PlanWords)} and {JobWord} opens a form to paste the job description you prepare for\n" +
        string.Join("\n", Subcommands.Skip(1).Select(s => $"{command} {s.Name}{(Arguments.TryGetValue(s.Name, out var more) ? $" {more}" : string.Empty)}: {s.Description.ToLowerInvariant()}"));

    /// <summary>The words after <c>privacy</c> or <c>admin</c>, which name what they act on before how.</summary>
    private static ChatCommand ParseSettings(string name, string[] rest)
    {
        if (!rest[0].Equals("experiments", StringComparison.OrdinalIgnoreCase))
        {
            return new Unknown($"`{rest[0]}` is not something {name} acts on: {name} {Arguments[name]}.");
        }

        return (name, rest.Length) switch
        {
            ("privacy", 2) => PrivacyWith(rest[1]),
            ("privacy", _) => new Unknown($"Say on or off: privacy {Arguments["privacy"]}."),
            ("admin", 1) => AdminWith(null, null, null),
            ("admin", <= 4) => AdminWith(rest[1], rest.ElementAtOrDefault(2), rest.ElementAtOrDefault(3)),
            _ => new Unknown($"Too many words: admin {Arguments["admin"]}."),
        };
    }

    /// <summary>Starts an interview.</summary>
    /// <param name="JobText">A job description pasted in the start form, which the interview is tailored to; read when the start runs.</param>
    public sealed record Start(InterviewOptions Options, string? JobText = null) : ChatCommand;

    /// <summary>A start that first wants the job description: the platform answers it with a form, whose submission is a <see cref="Start"/>.</summary>
    public sealed record AskForJob(InterviewOptions Options) : ChatCommand;

    public sealed record Hint : ChatCommand;

    public sealed record Skip : ChatCommand;

    public sealed record EndInterview : ChatCommand;

    public sealed record ResumeInterview : ChatCommand;

    public sealed record History : ChatCommand;

    public sealed record ForgetMe : ChatCommand;

    public sealed record Help : ChatCommand;

    /// <summary>Shows what is recorded about the person, or changes whether they take part in prompt experiments.</summary>
    /// <param name="ExperimentsOn">Null to show; false puts them in every experiment's baseline for good, true lets them back in.</param>
    public sealed record Privacy(bool? ExperimentsOn) : ChatCommand;

    /// <summary>A private link to the candidate's own progress page.</summary>
    public sealed record Progress : ChatCommand;

    /// <summary>Shows whether drills are on and when the next comes, or turns them on or off.</summary>
    /// <param name="On">Null to show.</param>
    /// <param name="TimeZone">The IANA time zone for quiet hours when turning on; null keeps the one set before (UTC at first).</param>
    public sealed record Drills(bool? On, string? TimeZone) : ChatCommand;

    /// <summary>Shows whether the person scores disputed answers, opts them in or out, or asks for their next ballot.</summary>
    /// <param name="Action">Null to show.</param>
    public sealed record Disputes(DisputeAction? Action) : ChatCommand;

    /// <summary>A command only people who manage the server or workspace may run.</summary>
    public abstract record Admin : ChatCommand;

    /// <summary>A private link to the experiments page.</summary>
    public sealed record Dashboard : Admin;

    public sealed record ListExperiments : Admin;

    public sealed record ReportExperiment(string ExperimentId) : Admin;

    /// <summary>Stops an arm for everyone; with no <paramref name="Arm"/>, the one challenger of a two-arm experiment.</summary>
    public sealed record StopArm(string ExperimentId, string? Arm) : Admin;

    /// <summary>Not a command that can run; <paramref name="Problem"/> says why.</summary>
    public sealed record Unknown(string Problem) : ChatCommand;
}

/// <summary>What <c>disputes</c> asks for.</summary>
public enum DisputeAction
{
    On,
    Off,
    Vote,
}
