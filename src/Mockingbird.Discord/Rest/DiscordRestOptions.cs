using System.ComponentModel.DataAnnotations;
using Mockingbird.Platforms;

namespace Mockingbird.Discord.Rest;

/// <summary>How patiently the REST client treats Discord's rate limits and failures.</summary>
public sealed class DiscordRestOptions : PlatformCallOptions
{
    public const string Section = "Discord:Rest";

    /// <summary>Discord's global ceiling per bot; interaction callbacks and webhooks are not counted.</summary>
    [Range(1, 10_000)]
    public int GlobalRequestsPerSecond { get; set; } = 50;
}
