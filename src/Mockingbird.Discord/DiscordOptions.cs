using System.ComponentModel.DataAnnotations;

namespace Mockingbird.Discord;

/// <summary>The Discord application the bot runs as. Secrets come from configuration or the environment only.</summary>
public sealed class DiscordOptions : IValidatableObject
{
    public const string Section = "Discord";

    /// <summary>The bot token from the Developer Portal's Bot page (<c>Discord__BotToken</c>).</summary>
    [Required(ErrorMessage = "Discord:BotToken is required: the bot token from the Developer Portal's Bot page.")]
    public string BotToken { get; set; } = string.Empty;

    /// <summary>The application id (a snowflake) from the General Information page.</summary>
    [Required(ErrorMessage = "Discord:ApplicationId is required: the application id from the Developer Portal.")]
    [RegularExpression("^[0-9]{1,20}$", ErrorMessage = "Discord:ApplicationId must be the numeric application id.")]
    public string ApplicationId { get; set; } = string.Empty;

    /// <summary>The application's public key (hex), needed only when interactions arrive over HTTP.</summary>
    public string? PublicKey { get; set; }

    /// <summary>Serve the HTTP interactions endpoint (POST <see cref="InteractionsPath"/>) instead of taking interactions from the gateway.</summary>
    public bool InteractionsEndpoint { get; set; }

    public string InteractionsPath { get; set; } = "/discord/interactions";

    /// <summary>
    /// Signed requests older or newer than this are refused. Discord documents no window; a short one stops an
    /// old captured request from being replayed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan SignatureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Register the commands in these guilds only (instant, for development) instead of globally.</summary>
    public IList<string> DevelopmentGuildIds { get; } = [];

    /// <summary>Register the <c>/mock</c> commands at start-up.</summary>
    public bool RegisterCommands { get; set; } = true;

    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://discord.com/api/v10/");

    /// <summary>This process's shard; replicas split guilds by <c>(guild_id &gt;&gt; 22) % ShardCount</c>.</summary>
    [Range(0, 65535)]
    public int ShardId { get; set; }

    [Range(1, 65536)]
    public int ShardCount { get; set; } = 1;

    /// <summary>Open interviews in private threads where the channel allows it (public threads otherwise).</summary>
    public bool PrivateThreads { get; set; } = true;

    /// <summary>Minutes of inactivity after which Discord archives an interview thread: 60, 1440, 4320 or 10080.</summary>
    public int ThreadAutoArchiveMinutes { get; set; } = 1440;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ShardId >= ShardCount)
        {
            yield return new ValidationResult("Discord:ShardId must be less than Discord:ShardCount.", [nameof(ShardId)]);
        }

        if (ThreadAutoArchiveMinutes is not (60 or 1440 or 4320 or 10080))
        {
            yield return new ValidationResult("Discord:ThreadAutoArchiveMinutes must be 60, 1440, 4320 or 10080.", [nameof(ThreadAutoArchiveMinutes)]);
        }

        if (InteractionsEndpoint && (PublicKey is null || PublicKey.Length != 64 || !PublicKey.All(Uri.IsHexDigit)))
        {
            yield return new ValidationResult("Discord:PublicKey (64 hex characters, from the Developer Portal) is required when Discord:InteractionsEndpoint is on.", [nameof(PublicKey)]);
        }

        if (!ApiBaseUrl.AbsoluteUri.EndsWith('/'))
        {
            yield return new ValidationResult("Discord:ApiBaseUrl must end with '/'.", [nameof(ApiBaseUrl)]);
        }
    }
}
