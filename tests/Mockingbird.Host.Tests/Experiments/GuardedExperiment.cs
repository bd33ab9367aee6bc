using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mockingbird.Experiments;
using Mockingbird.Host.Experiments;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups;
using Moq;

namespace Mockingbird.Host.Tests.Experiments;

/// <summary>One experiment whose challenger can be pushed past its fallback guardrail, and a replica's view of it.</summary>
internal static class GuardedExperiment
{
    public const string Id = "judge-2026";
    public const string AdminChannel = "discord:guild-1:admins";

    public static readonly ExperimentDesign Design = new(
        Id,
        "judge",
        "v1",
        [new ExperimentArm("v1", 1), new ExperimentArm("v2", 1)],
        PrimaryMetric.HelpfulShare,
        SmallestDifference: 0.1,
        Alpha: 0.05,
        new Guardrails(MaxFallbackRate: 0.2, MinimumFeedbacks: 20));

    public static IExperimentCatalog Catalog { get; } = new FixedCatalog(Design);

    /// <summary>Judged answers in an arm, <paramref name="fellBack"/> of them by the offline judge.</summary>
    public static async Task RecordTurnsAsync(IExperimentStore store, string arm, int turns, int fellBack, DateTimeOffset at)
    {
        for (var turn = 0; turn < turns; turn++)
        {
            await store.RecordAsync(
                new JudgedTurn(Id, arm, $"candidate-{turn}", $"{arm}-turn-{turn}", "gpt-test", TimeSpan.FromSeconds(2), 1000, 0, 200, SchemaFailures: 0, FellBack: turn < fellBack, at),
                default);
        }
    }

    /// <summary>A replica's services: its clock, the platform its notices go to, the settings and the experiments (store, reports, guard).</summary>
    public static IServiceCollection Replica(TimeProvider time, IStudyGroupPlatform platform, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Experiments:AdminChannel"] = AdminChannel })
            .AddInMemoryCollection(settings ?? [])
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(time);
        services.AddLogging();
        services.AddSingleton(Catalog);
        services.AddSingleton(platform);
        services.AddExperiments(configuration);
        return services;
    }

    /// <summary>A Discord platform that records the channel posts it is given, and throws instead when told to.</summary>
    public static (Mock<IStudyGroupPlatform> Platform, List<(string Channel, string Text, string Key)> Posts) Platform(Exception? failWith = null)
    {
        var posts = new List<(string, string, string)>();
        var platform = new Mock<IStudyGroupPlatform>(MockBehavior.Strict);
        platform.Setup(p => p.Name).Returns("discord");
        platform
            .Setup(p => p.PostInChannelAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<InterviewAction>>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string channel, IReadOnlyList<InterviewAction> actions, string key, CancellationToken _) =>
            {
                if (failWith is not null)
                {
                    return Task.FromException(failWith);
                }

                lock (posts)
                {
                    posts.Add((channel, string.Concat(actions.OfType<PostNotice>().Select(n => n.Text)), key));
                }

                return Task.CompletedTask;
            });
        return (platform, posts);
    }

    internal sealed class FixedCatalog(params ExperimentDesign[] designs) : IExperimentCatalog
    {
        public IReadOnlyList<ExperimentDesign> Designs => designs;
    }
}
