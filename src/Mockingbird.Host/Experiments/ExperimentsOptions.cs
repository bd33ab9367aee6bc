using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Mockingbird.Chat;
using Mockingbird.Experiments;
using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.Host.Experiments;

/// <summary>What one model costs per million tokens (<c>Experiments:Prices:&lt;model&gt;:…</c>).</summary>
public sealed class ModelPriceOptions
{
    public decimal InputPerMillion { get; set; }

    /// <summary>Prompt tokens the provider served from its cache; unset means they cost as much as other input.</summary>
    public decimal? CachedInputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }
}

/// <summary>How the host watches experiments: how often, how much history it keeps, where admins hear of a stop, and prices.</summary>
public sealed class ExperimentsOptions : IValidatableObject
{
    public const string Section = "Experiments";

    /// <summary>How often each replica builds every experiment's report and stops an arm past a guardrail.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LookEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// One snapshot of each experiment is kept per slot this long (the first replica's), for the charts and for the
    /// always-valid test, which replays every look kept.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SnapshotEvery { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Snapshots younger than this are all kept; older ones thin out to the first of each day and the few looks the
    /// always-valid test's replay ends on, so a long experiment keeps, and every look reads, a bounded history.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan KeepEverySnapshotFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// An experiment no replica has declared for this long is deleted from the store, with everything it recorded of
    /// people; declared again within it, it carries on where it was.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan KeepEndedFor { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// The channel admins are told in when a guardrail stops an arm, named as study groups name channels:
    /// <c>platform:server-or-workspace:channel</c>, e.g. <c>discord:123:456</c> or <c>slack:T01:C02</c>. Unset: nobody is told.
    /// </summary>
    public string? AdminChannel { get; set; }

    /// <summary>The price table, by model name as the LLM provider reports it.</summary>
    public Dictionary<string, ModelPriceOptions> Prices { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The servers and workspaces whose admins may run the experiment commands in chat, as <c>discord:&lt;guild id&gt;</c>
    /// or <c>slack:&lt;team id&gt;</c>. The place of <see cref="AdminChannel"/> is always among them.
    /// </summary>
    public List<string> AdminPlaces { get; set; } = [];

    internal StudyChannel? Admins => StudyChannel.Parse(AdminChannel);

    internal ExperimentAdminPlaces AdminPlaceSet() =>
        new(AdminPlaces.Concat(Admins is { } admins ? [$"{admins.Platform}:{admins.Space}"] : []).ToHashSet(StringComparer.Ordinal));

    internal IReadOnlyDictionary<string, ModelPrice> PriceTable() =>
        Prices.ToDictionary(
            p => p.Key,
            p => new ModelPrice(p.Key, p.Value.InputPerMillion, p.Value.CachedInputPerMillion ?? p.Value.InputPerMillion, p.Value.OutputPerMillion),
            StringComparer.Ordinal);

    /// <summary>The slot a moment falls in: the start of its <see cref="SnapshotEvery"/> period, in UTC.</summary>
    internal string SnapshotSlot(DateTimeOffset at)
    {
        var ticks = at.UtcTicks - (at.UtcTicks % SnapshotEvery.Ticks);
        return new DateTime(ticks, DateTimeKind.Utc).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(AdminChannel) && Admins is null)
        {
            yield return new ValidationResult(
                "Experiments:AdminChannel must name a channel as platform:server-or-workspace:channel, e.g. discord:<guildId>:<channelId> or slack:<teamId>:<channelId>; leave it unset to tell nobody.",
                [nameof(AdminChannel)]);
        }

        foreach (var place in AdminPlaces.Where(p => p.Split(':') is not [_, { Length: > 0 }] || !(p.StartsWith("discord:", StringComparison.Ordinal) || p.StartsWith("slack:", StringComparison.Ordinal))))
        {
            yield return new ValidationResult(
                $"Experiments:AdminPlaces has '{place}': name a server as discord:<guildId> or a workspace as slack:<teamId>.",
                [nameof(AdminPlaces)]);
        }

        foreach (var (model, price) in Prices)
        {
            if (price.InputPerMillion < 0 || price.OutputPerMillion < 0 || price.CachedInputPerMillion < 0)
            {
                yield return new ValidationResult($"Experiments:Prices:{model}: prices per million tokens cannot be negative.", [nameof(Prices)]);
            }
            else if (price.InputPerMillion == 0 && price.OutputPerMillion == 0)
            {
                yield return new ValidationResult(
                    $"Experiments:Prices:{model} needs InputPerMillion and OutputPerMillion (and CachedInputPerMillion if cached input is cheaper); a model with no price table entry shows no cost.",
                    [nameof(Prices)]);
            }
        }
    }
}
