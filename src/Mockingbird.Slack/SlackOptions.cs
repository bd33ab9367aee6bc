using System.ComponentModel.DataAnnotations;

namespace Mockingbird.Slack;

public enum SlackTransport
{
    /// <summary>A WebSocket the app opens to Slack: no public URL needed.</summary>
    SocketMode,

    /// <summary>Slack POSTs events, commands and interactions to this host's endpoints.</summary>
    Http,
}

/// <summary>The Slack app the bot runs as. Secrets come from configuration or the environment only.</summary>
public sealed class SlackOptions : IValidatableObject
{
    public const string Section = "Slack";

    /// <summary>The bot token (<c>xoxb-…</c>) from OAuth &amp; Permissions.</summary>
    [Required(ErrorMessage = "Slack:BotToken is required: the bot token (xoxb-…) from the app's OAuth & Permissions page.")]
    public string BotToken { get; set; } = string.Empty;

    /// <summary>The app-level token (<c>xapp-…</c>, scope <c>connections:write</c>), needed for Socket Mode.</summary>
    public string? AppToken { get; set; }

    /// <summary>The signing secret from Basic Information, needed for the HTTP endpoints.</summary>
    public string? SigningSecret { get; set; }

    public SlackTransport Transport { get; set; } = SlackTransport.SocketMode;

    /// <summary>Socket Mode connections held at once, so one can be replaced without a gap.</summary>
    [Range(1, 10)]
    public int SocketConnections { get; set; } = 2;

    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>The slash command as configured in the app (its responses name it).</summary>
    [RegularExpression("^/[a-z0-9_-]{1,31}$", ErrorMessage = "Slack:Command must look like /mock.")]
    public string Command { get; set; } = "/mock";

    public string EventsPath { get; set; } = "/slack/events";

    /// <summary>Signed requests older or newer than this are refused (Slack's guidance is five minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:05:00")]
    public TimeSpan SignatureWindow { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Transport == SlackTransport.SocketMode && string.IsNullOrWhiteSpace(AppToken))
        {
            yield return new ValidationResult("Slack:AppToken (xapp-…, with connections:write) is required for Socket Mode; or set Slack:Transport=Http.", [nameof(AppToken)]);
        }

        if (Transport == SlackTransport.Http && string.IsNullOrWhiteSpace(SigningSecret))
        {
            yield return new ValidationResult("Slack:SigningSecret (Basic Information → Signing Secret) is required when Slack:Transport=Http.", [nameof(SigningSecret)]);
        }

        if (!ApiBaseUrl.AbsoluteUri.EndsWith('/'))
        {
            yield return new ValidationResult("Slack:ApiBaseUrl must end with '/'.", [nameof(ApiBaseUrl)]);
        }
    }
}
