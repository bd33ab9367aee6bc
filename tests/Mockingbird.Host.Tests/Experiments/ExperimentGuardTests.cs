using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Experiments;
using Mockingbird.Host.Experiments;
using Mockingbird.Testing;

namespace Mockingbird.Host.Tests.Experiments;

/// <summary>The guard of one replica, on a fake clock and the in-memory experiment store.</summary>
public sealed class ExperimentGuardTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static ServiceProvider Replica(FakeTimeProvider clock, Moq.Mock<StudyGroups.IStudyGroupPlatform> platform)
    {
        var services = GuardedExperiment.Replica(clock, platform.Object);
        services.AddInMemorySessionStore();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>
    /// The guard of a replica started later on the same store and ledger, posting through <paramref name="platform"/>;
    /// its experiments file may declare other experiments (<paramref name="reports"/>).
    /// </summary>
    private static ExperimentGuard GuardSharing(ServiceProvider replica, Moq.Mock<StudyGroups.IStudyGroupPlatform> platform, FakeTimeProvider clock, ExperimentReports? reports = null) =>
        new(
            reports ?? replica.GetRequiredService<ExperimentReports>(),
            replica.GetRequiredService<IExperimentStore>(),
            replica.GetRequiredService<Chat.Delivery.IDeliveryLedger>(),
            [platform.Object],
            replica.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExperimentsOptions>>(),
            replica.GetRequiredService<Microsoft.Extensions.Options.IOptions<SessionStoreOptions>>(),
            clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ExperimentGuard>.Instance);

    [Fact]
    public async Task An_arm_past_its_fallback_limit_is_stopped_with_the_reason_and_the_admins_are_told_once()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, posts) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        await GuardedExperiment.RecordTurnsAsync(store, "v1", 20, fellBack: 0, Start);
        await GuardedExperiment.RecordTurnsAsync(store, "v2", 20, fellBack: 10, Start);
        var guard = replica.GetRequiredService<ExperimentGuard>();

        await guard.LookAsync(default);

        var stop = (await store.ControlAsync(default)).StopOf(GuardedExperiment.Id, "v2");
        Assert.NotNull(stop);
        Assert.Equal("guardrail", stop.By);
        Assert.Equal(Start, stop.At);
        Assert.Contains("fell back to the offline judge on 50", stop.Reason, StringComparison.Ordinal);
        Assert.Null((await store.ControlAsync(default)).StopOf(GuardedExperiment.Id, "v1"));
        var (channel, text, _) = Assert.Single(posts);
        Assert.Equal("admins", channel);
        Assert.Contains($"Experiment {GuardedExperiment.Id}", text, StringComparison.Ordinal);
        Assert.Contains("arm v2 was stopped automatically", text, StringComparison.Ordinal);
        Assert.Contains(stop.Reason, text, StringComparison.Ordinal);
        Assert.Contains("get the baseline, v1, from their next turn", text, StringComparison.Ordinal);
        Assert.Contains($"experiments report {GuardedExperiment.Id}", text, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromMinutes(1));
        await guard.LookAsync(default);
        clock.Advance(TimeSpan.FromHours(2));
        await guard.LookAsync(default);

        Assert.Single(posts);
        Assert.Single((await store.ControlAsync(default)).Stops);
    }

    [Fact]
    public async Task An_experiment_whose_weights_were_changed_while_it_ran_has_its_challenger_stopped_and_the_admins_told_once()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, posts) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        await replica.GetRequiredService<ExperimentGuard>().LookAsync(default);
        var edited = GuardedExperiment.Design with { Arms = [new ExperimentArm("v1", 1), new ExperimentArm("v2", 3)] };
        var guard = GuardEditedTo(replica, edited, platform, clock);

        clock.Advance(TimeSpan.FromMinutes(1));
        await guard.LookAsync(default);
        clock.Advance(TimeSpan.FromMinutes(1));
        await guard.LookAsync(default);

        var stop = Assert.Single((await store.ControlAsync(default)).Stops);
        Assert.Equal(("v2", "guardrail"), (stop.Version, stop.By));
        Assert.Contains("it started with v1=1,v2=1; the file now says v1=1,v2=3", stop.Reason, StringComparison.Ordinal);
        var (_, text, _) = Assert.Single(posts);
        Assert.Contains("arm v2 was stopped automatically", text, StringComparison.Ordinal);
        Assert.Contains("new id", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_experiment_whose_baseline_was_changed_while_it_ran_stops_every_other_arm_so_everyone_gets_the_new_baseline()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, posts) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        await GuardEditedTo(replica, ThreeArms, platform, clock).LookAsync(default);
        var edited = ThreeArms with { Baseline = "v2" };

        clock.Advance(TimeSpan.FromMinutes(1));
        await GuardEditedTo(replica, edited, platform, clock).LookAsync(default);
        clock.Advance(TimeSpan.FromMinutes(1));
        await GuardEditedTo(replica, edited, platform, clock).LookAsync(default);

        var control = await store.ControlAsync(default);
        Assert.Equal(["v1", "v3"], control.Stops.Select(s => s.Version).Order(StringComparer.Ordinal));
        Assert.All(control.Stops, stop => Assert.Contains("its baseline was changed while it ran (it started with v1; the file now says v2)", stop.Reason, StringComparison.Ordinal));
        Assert.All(Enumerable.Range(0, 30), i => Assert.Equal("v2", ArmAssignment.Served(edited, $"candidate-{i}", control)));
        Assert.Equal(2, posts.Count);
        Assert.Contains(posts, post => post.Text.Contains("arm v1 was stopped automatically", StringComparison.Ordinal));
        Assert.All(posts, post => Assert.Contains("get the baseline, v2, from their next turn", post.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_experiment_whose_baseline_was_changed_and_changed_back_stops_every_other_arm_so_everyone_gets_the_old_baseline()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, posts) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        await GuardEditedTo(replica, ThreeArms, platform, clock).LookAsync(default);
        clock.Advance(TimeSpan.FromMinutes(1));
        await GuardEditedTo(replica, ThreeArms with { Baseline = "v2" }, platform, clock).LookAsync(default);

        clock.Advance(TimeSpan.FromMinutes(1));
        await GuardEditedTo(replica, ThreeArms, platform, clock).LookAsync(default);
        clock.Advance(TimeSpan.FromMinutes(1));
        await GuardEditedTo(replica, ThreeArms, platform, clock).LookAsync(default);

        var control = await store.ControlAsync(default);
        Assert.Equal(["v1", "v2", "v3"], control.Stops.Select(s => s.Version).Order(StringComparer.Ordinal));
        Assert.Contains("changed while it ran and then back to v1", control.StopOf(GuardedExperiment.Id, "v2")!.Reason, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, 30), i => Assert.Equal("v1", ArmAssignment.Served(ThreeArms, $"candidate-{i}", control)));
        Assert.Equal(3, posts.Count);
    }

    [Fact]
    public async Task An_llm_outage_that_sends_every_arm_to_the_offline_judge_stops_no_challenger_and_tells_nobody()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, posts) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        await GuardedExperiment.RecordTurnsAsync(store, "v1", turns: 30, fellBack: 27, Start);
        await GuardedExperiment.RecordTurnsAsync(store, "v2", turns: 30, fellBack: 30, Start);

        await replica.GetRequiredService<ExperimentGuard>().LookAsync(default);

        Assert.Empty((await store.ControlAsync(default)).Stops);
        Assert.Empty(posts);
    }

    [Fact]
    public async Task An_experiment_taken_out_of_the_file_is_deleted_once_no_replica_has_declared_it_for_the_keep()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, _) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        await GuardedExperiment.RecordTurnsAsync(store, "v1", turns: 5, fellBack: 0, Start);
        await replica.GetRequiredService<ExperimentGuard>().LookAsync(default);
        var withoutIt = GuardSharing(replica, platform, clock, new ExperimentReports(new GuardedExperiment.FixedCatalog(), store, new Dictionary<string, ModelPrice>(), clock));

        clock.Advance(TimeSpan.FromDays(90));
        await withoutIt.LookAsync(default);
        Assert.NotEmpty(await store.MetricsAsync(GuardedExperiment.Id, clock.GetUtcNow(), default));

        clock.Advance(TimeSpan.FromMinutes(1));
        await withoutIt.LookAsync(default);
        Assert.Empty(await store.MetricsAsync(GuardedExperiment.Id, clock.GetUtcNow(), default));
        Assert.Null(await store.PinnedTestSettingsAsync(GuardedExperiment.Id, default));
    }

    [Fact]
    public async Task An_experiment_still_declared_by_one_replica_is_kept_however_long_another_has_dropped_it()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, _) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        await GuardedExperiment.RecordTurnsAsync(store, "v1", turns: 5, fellBack: 0, Start);
        var declaring = replica.GetRequiredService<ExperimentGuard>();
        var withoutIt = GuardSharing(replica, platform, clock, new ExperimentReports(new GuardedExperiment.FixedCatalog(), store, new Dictionary<string, ModelPrice>(), clock));

        for (var month = 0; month < 6; month++)
        {
            clock.Advance(TimeSpan.FromDays(30));
            await declaring.LookAsync(default);
            await withoutIt.LookAsync(default);
        }

        Assert.NotEmpty(await store.MetricsAsync(GuardedExperiment.Id, clock.GetUtcNow(), default));
    }

    [Fact]
    public async Task An_experiment_looked_at_again_as_it_was_declared_stops_nothing()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, posts) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        await replica.GetRequiredService<ExperimentGuard>().LookAsync(default);

        await GuardEditedTo(replica, GuardedExperiment.Design with { Arms = [new ExperimentArm("v1", 1), new ExperimentArm("v2", 1)] }, platform, clock).LookAsync(default);

        Assert.Empty((await replica.GetRequiredService<IExperimentStore>().ControlAsync(default)).Stops);
        Assert.Empty(posts);
    }

    [Fact]
    public async Task An_experiment_whose_alpha_was_loosened_while_it_ran_keeps_its_first_settings_stops_nothing_and_is_logged_once()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, posts) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        await replica.GetRequiredService<ExperimentGuard>().LookAsync(default);
        var edited = GuardedExperiment.Design with { Alpha = 0.3 };
        using var logs = new RecordingLoggerProvider();
        using var loggers = new LoggerFactory([logs]);
        var guard = new ExperimentGuard(
            new ExperimentReports(new GuardedExperiment.FixedCatalog(edited), store, new Dictionary<string, ModelPrice>(), clock),
            store,
            replica.GetRequiredService<Chat.Delivery.IDeliveryLedger>(),
            [platform.Object],
            replica.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExperimentsOptions>>(),
            replica.GetRequiredService<Microsoft.Extensions.Options.IOptions<SessionStoreOptions>>(),
            clock,
            loggers.CreateLogger<ExperimentGuard>());

        clock.Advance(TimeSpan.FromMinutes(1));
        await guard.LookAsync(default);
        clock.Advance(TimeSpan.FromMinutes(1));
        await guard.LookAsync(default);

        Assert.Equal(GuardedExperiment.Design.TestSettings.Format(), await store.PinnedTestSettingsAsync(GuardedExperiment.Id, default));
        var told = Assert.Single(logs.Entries, e => e.Contains("α, δ, mixing variance or number of challengers changed", StringComparison.Ordinal));
        Assert.Contains("alpha=0.05;", told, StringComparison.Ordinal);
        Assert.Contains("alpha=0.3;", told, StringComparison.Ordinal);
        Assert.Empty((await store.ControlAsync(default)).Stops);
        Assert.Empty(posts);
    }

    private static readonly ExperimentDesign ThreeArms = GuardedExperiment.Design with
    {
        Arms = [new ExperimentArm("v1", 1), new ExperimentArm("v2", 1), new ExperimentArm("v3", 1)],
    };

    /// <summary>The guard of a replica sharing the store whose experiments file now declares <paramref name="edited"/>.</summary>
    private static ExperimentGuard GuardEditedTo(ServiceProvider replica, ExperimentDesign edited, Moq.Mock<StudyGroups.IStudyGroupPlatform> platform, FakeTimeProvider clock) =>
        GuardSharing(replica, platform, clock, new ExperimentReports(new GuardedExperiment.FixedCatalog(edited), replica.GetRequiredService<IExperimentStore>(), new Dictionary<string, ModelPrice>(), clock));

    [Fact]
    public async Task An_arm_within_its_guardrails_is_not_stopped_and_nobody_is_told()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, posts) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        await GuardedExperiment.RecordTurnsAsync(store, "v1", 20, fellBack: 0, Start);
        await GuardedExperiment.RecordTurnsAsync(store, "v2", 20, fellBack: 4, Start);

        await replica.GetRequiredService<ExperimentGuard>().LookAsync(default);

        Assert.Empty((await store.ControlAsync(default)).Stops);
        Assert.Empty(posts);
    }

    [Fact]
    public async Task A_snapshot_is_kept_once_per_slot_with_the_metrics_of_the_first_look_in_it()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, _) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        var guard = replica.GetRequiredService<ExperimentGuard>();
        await GuardedExperiment.RecordTurnsAsync(store, "v1", 3, fellBack: 0, Start);

        await guard.LookAsync(default);
        clock.Advance(TimeSpan.FromMinutes(59));
        await GuardedExperiment.RecordTurnsAsync(store, "v1", 5, fellBack: 0, Start);
        await guard.LookAsync(default);
        var withinTheHour = await store.SnapshotsAsync(GuardedExperiment.Id, default);
        clock.Advance(TimeSpan.FromMinutes(1));
        await guard.LookAsync(default);
        var afterIt = await store.SnapshotsAsync(GuardedExperiment.Id, default);

        var first = Assert.Single(withinTheHour);
        Assert.Equal(Start, first.At);
        Assert.Equal(3, first.Arms.Single(a => a.Arm == "v1").Feedbacks);
        Assert.Equal(2, afterIt.Count);
        Assert.Equal(Start.AddHours(1), afterIt[1].At);
        Assert.Equal(5, afterIt[1].Arms.Single(a => a.Arm == "v1").Feedbacks);
    }

    [Fact]
    public async Task Ten_days_of_looks_keep_every_snapshot_of_the_last_week_and_one_a_day_before_it()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, _) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        var guard = replica.GetRequiredService<ExperimentGuard>();

        for (var hour = 0; hour < 10 * 24; hour++)
        {
            await GuardedExperiment.RecordTurnsAsync(store, "v1", 1, fellBack: 0, clock.GetUtcNow());
            await guard.LookAsync(default);
            clock.Advance(TimeSpan.FromMinutes(30));
            await guard.LookAsync(default);
            clock.Advance(TimeSpan.FromMinutes(30));
        }

        var kept = await store.SnapshotsAsync(GuardedExperiment.Id, default);
        var now = clock.GetUtcNow();
        var lastWeek = kept.Where(s => now - s.At <= TimeSpan.FromDays(7)).ToList();
        Assert.Equal(7 * 24, lastWeek.Count);
        Assert.Equal([Start, Start.AddHours(15), Start.AddHours(39), Start.AddHours(63)], kept.Except(lastWeek).Select(s => s.At));
    }

    [Fact]
    public async Task A_notice_whose_post_failed_is_posted_by_a_later_look_once_its_claim_lapses()
    {
        var clock = new FakeTimeProvider(Start);
        var failing = GuardedExperiment.Platform(new HttpRequestException("the platform did not answer"));
        await using var replica = Replica(clock, failing.Platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        await GuardedExperiment.RecordTurnsAsync(store, "v2", 20, fellBack: 10, Start);
        await replica.GetRequiredService<ExperimentGuard>().LookAsync(default);
        var lease = replica.GetRequiredService<Microsoft.Extensions.Options.IOptions<SessionStoreOptions>>().Value.PostLease;

        // The same store and ledger, as a replica started after the first one died would see them.
        var (platform, posts) = GuardedExperiment.Platform();
        var later = GuardSharing(replica, platform, clock);
        await later.LookAsync(default);
        Assert.Empty(posts);

        clock.Advance(lease);
        await later.LookAsync(default);
        await later.LookAsync(default);

        var (_, text, key) = Assert.Single(posts);
        Assert.Contains("arm v2 was stopped automatically", text, StringComparison.Ordinal);
        Assert.Equal($"experiments:{GuardedExperiment.Id}:v2:stopped", key);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_notice_the_admin_channel_refused_for_now_or_for_good_is_tried_again_by_the_next_look_without_waiting_for_a_claim(bool forGood)
    {
        var clock = new FakeTimeProvider(Start);
        Exception refusal = forGood ? new StudyGroups.StudyChannelGoneException("gone") : new StudyGroups.StudyPostRefusedException("Discord refused a post in the channel with code 50013, Missing Permissions");
        var refusing = GuardedExperiment.Platform(refusal);
        await using var replica = Replica(clock, refusing.Platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        await GuardedExperiment.RecordTurnsAsync(store, "v2", 20, fellBack: 10, Start);
        await replica.GetRequiredService<ExperimentGuard>().LookAsync(default);

        var (platform, posts) = GuardedExperiment.Platform();
        var later = GuardSharing(replica, platform, clock);
        await later.LookAsync(default);

        var (_, text, _) = Assert.Single(posts);
        Assert.Contains("arm v2 was stopped automatically", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_admin_channel_an_arm_is_still_stopped_and_nothing_is_posted()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, posts) = GuardedExperiment.Platform();
        var services = GuardedExperiment.Replica(clock, platform.Object, new() { ["Experiments:AdminChannel"] = string.Empty });
        services.AddInMemorySessionStore();
        await using var replica = services.BuildServiceProvider();
        var store = replica.GetRequiredService<IExperimentStore>();
        await GuardedExperiment.RecordTurnsAsync(store, "v2", 20, fellBack: 10, Start);

        await replica.GetRequiredService<ExperimentGuard>().LookAsync(default);

        Assert.NotNull((await store.ControlAsync(default)).StopOf(GuardedExperiment.Id, "v2"));
        Assert.Empty(posts);
    }

    [Fact]
    public async Task The_running_guard_looks_at_start_and_again_every_look_interval_on_its_clock()
    {
        var clock = new TimerWatchingClock(Start);
        var (platform, posts) = GuardedExperiment.Platform();
        await using var replica = Replica(clock, platform);
        var store = replica.GetRequiredService<IExperimentStore>();
        var guard = replica.GetRequiredService<ExperimentGuard>();

        await guard.StartAsync(default);
        try
        {
            await Poll.UntilAsync(async () => (await store.SnapshotsAsync(GuardedExperiment.Id, default)).Count == 1, "the guard's first look to keep a snapshot");
            await GuardedExperiment.RecordTurnsAsync(store, "v2", 20, fellBack: 10, Start);
            await clock.WaitForTimerAsync(TimeSpan.FromMinutes(1));
            Assert.Empty((await store.ControlAsync(default)).Stops);

            clock.Advance(TimeSpan.FromMinutes(1));

            await Poll.UntilAsync(() => posts.Count == 1, "the next look to stop v2 and tell the admins");
            Assert.NotNull((await store.ControlAsync(default)).StopOf(GuardedExperiment.Id, "v2"));
        }
        finally
        {
            await guard.StopAsync(default);
        }
    }

    [Fact]
    public async Task A_cost_limit_on_a_model_without_a_price_is_logged_as_an_error_when_the_guard_starts()
    {
        var clock = new TimerWatchingClock(Start);
        var (platform, _) = GuardedExperiment.Platform();
        var logs = new RecordingLoggerProvider();
        var services = GuardedExperiment.Replica(clock, platform.Object, new() { ["Experiments:Prices:priced-model:InputPerMillion"] = "1", ["Experiments:Prices:priced-model:OutputPerMillion"] = "2" });
        services.AddInMemorySessionStore();
        services.AddLogging(logging => logging.AddProvider(logs));
        services.Configure<Mockingbird.Judging.Llm.LlmOptions>(o => o.Model = "unpriced-model");
        services.AddSingleton<IExperimentCatalog>(new GuardedExperiment.FixedCatalog(GuardedExperiment.Design with { Guardrails = new Guardrails(MaxCostPerFeedback: 0.01m) }));
        await using var replica = services.BuildServiceProvider();
        var guard = replica.GetRequiredService<ExperimentGuard>();

        await guard.StartAsync(default);
        try
        {
            await logs.WaitForAsync("limits cost per feedback, but model unpriced-model has no price");
        }
        finally
        {
            await guard.StopAsync(default);
        }
    }

    [Fact]
    public void The_settings_refuse_an_admin_channel_that_does_not_name_a_platform_space_and_channel_and_a_price_with_no_figures()
    {
        var options = new ExperimentsOptions
        {
            AdminChannel = "discord:admins",
            Prices = { ["gpt-test"] = new ModelPriceOptions() },
        };

        var problems = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(p => p.ErrorMessage).ToList();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p!.Contains("Experiments:AdminChannel", StringComparison.Ordinal));
        Assert.Contains(problems, p => p!.Contains("Experiments:Prices:gpt-test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_price_table_from_settings_prices_an_arms_tokens_in_its_report()
    {
        var clock = new FakeTimeProvider(Start);
        var (platform, _) = GuardedExperiment.Platform();
        var services = GuardedExperiment.Replica(clock, platform.Object, new()
        {
            ["Experiments:Prices:gpt-test:InputPerMillion"] = "2",
            ["Experiments:Prices:gpt-test:OutputPerMillion"] = "10",
        });
        services.AddInMemorySessionStore();
        await using var replica = services.BuildServiceProvider();
        await GuardedExperiment.RecordTurnsAsync(replica.GetRequiredService<IExperimentStore>(), "v1", 4, fellBack: 0, Start);

        var report = await replica.GetRequiredService<ExperimentReports>().ReportAsync(GuardedExperiment.Id, default);

        // Each turn: 1000 prompt tokens at $2 and 200 completion tokens at $10 per million.
        Assert.Equal(0.004m, report!.Arms.Single(a => a.Metrics.Arm == "v1").Metrics.CostPerFeedback(report.Prices));
    }
}
