using System.ComponentModel.DataAnnotations;
using Mockingbird.Platforms;

namespace Mockingbird.Slack.Web;

/// <summary>How patiently the Web API client treats Slack's rate limits and failures.</summary>
public sealed class SlackWebApiOptions : PlatformCallOptions
{
    public const string Section = "Slack:Web";

    /// <summary><c>chat.postMessage</c>'s special limit: about one message per second per channel.</summary>
    public TimeSpan PostMessageInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages a quiet channel may take at once before the interval applies (Slack tolerates short bursts).</summary>
    [Range(1, 20)]
    public int PostMessageBurst { get; set; } = 3;
}
