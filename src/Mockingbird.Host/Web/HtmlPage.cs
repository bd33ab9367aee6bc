using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Mockingbird.Host.Web;

/// <summary>The shell every page shares: one small stylesheet (allowed by its hash, not by 'unsafe-inline'), no script.</summary>
internal static class HtmlPage
{
    public const string Style =
        "body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;color:#1a1a1a;background:#fff}" +
        "header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}" +
        "header p{font-weight:bold;margin:1rem 0 0}" +
        "section{border-top:1px solid #ccc;margin-top:1.5rem}" +
        "h1{font-size:1.6rem}h2{font-size:1.3rem}h3{font-size:1.1rem}" +
        ".scroll{overflow-x:auto}" +
        "table{border-collapse:collapse;margin:0.5rem 0;min-width:100%}" +
        "caption{text-align:left;font-weight:bold;padding:0.25rem 0}" +
        "th,td{border:1px solid #ccc;padding:0.3rem 0.5rem;text-align:left;vertical-align:top}" +
        "thead th{background:#f0f0f0}" +
        "figure{margin:1rem 0}figcaption{font-size:0.9rem;color:#444}" +
        "svg.chart{width:100%;height:auto;max-width:36rem;display:block}" +
        ".verdict{font-size:1.05rem;background:#f4f8fb;border-left:4px solid #0072B2;padding:0.5rem}" +
        ".alert{border-left-color:#D55E00;background:#fdf3ec}" +
        "dt{font-weight:bold}dd{margin:0 0 0.4rem}" +
        "footer{font-size:0.85rem;color:#555;margin-top:2rem;padding-bottom:2rem}";

    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; img-src 'self' data:; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The answer to any link that does not open the page: it says nothing about why, or about the page.</summary>
    public static readonly string Forbidden = Document(
        "Link not valid",
        "<main id=\"main\"><h1>This link is not valid</h1><p>It may have expired. Ask the bot for a new one.</p></main>");

    public static string Document(string title, string body) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        "<meta name=\"robots\" content=\"noindex, nofollow\">" +
        $"<title>{E(title)} · Mockingbird</title><style>{Style}</style></head>" +
        $"<body><header><p>Mockingbird</p></header>{body}</body></html>";

    public static string E(string text) => WebUtility.HtmlEncode(text);
}
