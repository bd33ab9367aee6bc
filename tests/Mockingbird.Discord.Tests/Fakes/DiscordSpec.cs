using System.Text.Json.Nodes;
using Mockingbird.Testing;
using NJsonSchema;

namespace Mockingbird.Discord.Tests.Fakes;

/// <summary>
/// Discord's published OpenAPI document (shared/specs/discord/openapi.json), loaded once per test run and read the
/// way NJsonSchema 11.6.2 understands it: component schemas moved under <c>definitions</c> (references rewritten to
/// match) and every <c>const</c> turned into a one-value <c>enum</c>, which NJsonSchema honours.
/// </summary>
public static class DiscordSpec
{
    /// <summary><c>PUT /applications/{app}/commands</c> (and the guild variant): an array of <c>ApplicationCommandUpdateRequest</c>.</summary>
    public const string BulkCommands = "Mockingbird.BulkApplicationCommands";

    /// <summary>
    /// <c>POST /interactions/{id}/{token}/callback</c>: any of the four callback requests the bot sends (the operation
    /// also lists autocomplete, activity and SKU callbacks, which the bot never sends).
    /// </summary>
    public const string InteractionCallback = "Mockingbird.InteractionCallback";

    public const string MessageCreate = "MessageCreateRequest";
    public const string MessageEdit = "MessageEditRequestPartial";
    public const string ThreadWithoutMessage = "CreateTextThreadWithoutMessageRequest";
    public const string ThreadWithMessage = "CreateTextThreadWithMessageRequest";
    public const string DirectMessageChannel = "CreatePrivateChannelRequest";
    public const string Followup = "IncomingWebhookRequestPartial";
    public const string OriginalEdit = "IncomingWebhookUpdateRequestPartial";

    private static readonly string[] CallbackBranches =
    [
        "PongInteractionCallbackRequest",
        "CreateMessageInteractionCallbackRequest",
        "UpdateMessageInteractionCallbackRequest",
        "ModalInteractionCallbackRequest",
    ];

    private static readonly Lazy<JsonSchema> Document = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string DocumentPath => Path.Combine(RepositoryPaths.Root, "tests", "specs", "discord", "openapi.json");

    /// <summary>The schema's violations of <paramref name="json"/>, empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(string schemaName, string json)
    {
        var schema = Schema(schemaName);
        return [.. schema.Validate(json).Select(e => e.ToString())];
    }

    /// <summary>The properties a request schema declares (the spec does not forbid others; the fake does).</summary>
    public static IReadOnlySet<string> PropertiesOf(string schemaName) =>
        Schema(schemaName).ActualProperties.Keys.ToHashSet(StringComparer.Ordinal);

    private static JsonSchema Schema(string schemaName) =>
        Document.Value.Definitions.TryGetValue(schemaName, out var schema)
            ? schema.ActualSchema
            : throw new ArgumentException($"The Discord spec has no schema named {schemaName}.", nameof(schemaName));

    private static JsonSchema Load()
    {
        var path = DocumentPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Discord's OpenAPI document is expected beside the repository, at {path}.", path);
        }

        var openApi = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var definitions = openApi["components"]!["schemas"]!.DeepClone().AsObject();
        Rewrite(definitions);

        definitions[BulkCommands] = new JsonObject
        {
            ["type"] = "array",
            ["maxItems"] = 130,
            ["items"] = Reference("ApplicationCommandUpdateRequest"),
        };
        definitions[InteractionCallback] = new JsonObject
        {
            ["anyOf"] = new JsonArray([.. CallbackBranches.Select(Reference)]),
        };

        var root = new JsonObject { ["definitions"] = definitions };
        return JsonSchema.FromJsonAsync(root.ToJsonString()).GetAwaiter().GetResult();
    }

    private static JsonObject Reference(string name) => new() { ["$ref"] = "#/definitions/" + name };

    /// <summary>The two in-place rewrites NJsonSchema needs: references under <c>definitions</c>, <c>const</c> as <c>enum</c>.</summary>
    private static void Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var target)
                    && target.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                {
                    obj["$ref"] = "#/definitions/" + target["#/components/schemas/".Length..];
                }

                if (obj.Remove("const", out var constant))
                {
                    obj["enum"] = new JsonArray(constant);
                }

                foreach (var (_, child) in obj.ToArray())
                {
                    Rewrite(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Rewrite(child);
                }

                break;
        }
    }
}
