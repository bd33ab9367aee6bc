using System.Text.Json.Nodes;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.Fakes;

/// <summary>
/// Slack's published Web API description (tests/specs/slack/slack_web_openapi_v2.json, Swagger 2.0), read for what it
/// is still good for: each method's parameter names and which of them are required. Types are not checked: the
/// document describes form fields (<c>blocks</c> as a string), while the bot sends JSON.
/// </summary>
public static class SlackSpec
{
    /// <summary>
    /// Fields Slack accepts that the stale document lacks, per method. <c>metadata</c> (message metadata, 2022) on
    /// posting and updating, and <c>include_all_metadata</c> to read it back with <c>conversations.replies</c>;
    /// <c>reply_broadcast</c> on <c>chat.update</c>; <c>apps.connections.open</c> (Socket Mode,
    /// 2020) is missing altogether and takes no parameters but the token.
    /// </summary>
    private static readonly Dictionary<string, string[]> NewerFields = new(StringComparer.Ordinal)
    {
        ["chat.postMessage"] = ["metadata"],
        ["chat.update"] = ["metadata", "reply_broadcast"],
        ["apps.connections.open"] = [],
        ["conversations.replies"] = ["include_all_metadata"],
        ["conversations.history"] = ["include_all_metadata"],
    };

    private static readonly Lazy<JsonObject> Document = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string DocumentPath => Path.Combine(RepositoryPaths.Root, "tests", "specs", "slack", "slack_web_openapi_v2.json");

    /// <summary>The parameters a method declares (beyond the token), and those it requires; null for an unknown method.</summary>
    public static MethodParameters? Parameters(string method)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var required = new HashSet<string>(StringComparer.Ordinal);
        var known = false;
        if (Document.Value["paths"]?[$"/{method}"] is JsonObject path)
        {
            known = true;
            foreach (var (_, operation) in path)
            {
                foreach (var parameter in operation?["parameters"]?.AsArray() ?? [])
                {
                    var name = (string?)parameter?["name"];
                    if (name is null || name == "token" || (string?)parameter!["in"] == "header")
                    {
                        continue;
                    }

                    declared.Add(name);
                    if (parameter["required"] is JsonValue r && r.TryGetValue<bool>(out var isRequired) && isRequired)
                    {
                        required.Add(name);
                    }
                }
            }
        }

        if (NewerFields.TryGetValue(method, out var newer))
        {
            known = true;
            declared.UnionWith(newer);
        }

        return known ? new MethodParameters(declared, required) : null;
    }

    private static JsonObject Load()
    {
        var path = DocumentPath;
        return File.Exists(path)
            ? JsonNode.Parse(File.ReadAllText(path))!.AsObject()
            : throw new FileNotFoundException($"Slack's Web API description is expected in the repository, at {path}.", path);
    }
}

public sealed record MethodParameters(IReadOnlySet<string> Declared, IReadOnlySet<string> Required);
