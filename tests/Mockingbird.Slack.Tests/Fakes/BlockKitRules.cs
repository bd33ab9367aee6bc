using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mockingbird.Slack.Tests.Fakes;

/// <summary>
/// The Block Kit limits Slack enforces and its published description does not (it calls <c>blocks</c> "a very loose
/// definition"), for the blocks and elements the bot builds: section, header, actions, context, divider, input;
/// button and plain-text input. Each method returns the problems found, empty when the JSON is acceptable.
/// </summary>
public static class BlockKitRules
{
    public const int MessageBlocks = 50;
    public const int ModalBlocks = 100;
    public const int SectionText = 3000;
    public const int SectionFields = 10;
    public const int FieldText = 2000;
    public const int HeaderText = 150;
    public const int ActionsElements = 25;
    public const int ContextElements = 10;
    public const int ButtonText = 75;
    public const int ActionId = 255;
    public const int BlockId = 255;
    public const int ButtonValue = 2000;
    public const int InputLabel = 2000;
    public const int InputMaxLength = 3000;
    public const int Placeholder = 150;
    public const int ModalTitle = 24;
    public const int ModalButton = 24;
    public const int CallbackId = 255;
    public const int PrivateMetadata = 3000;

    /// <summary>A message's <c>blocks</c>: an array, or (as form fields carry it) a string holding one.</summary>
    public static IReadOnlyList<string> CheckMessageBlocks(JsonNode? blocks)
    {
        var problems = new List<string>();
        if (AsArray(blocks, "blocks", problems) is { } array)
        {
            CheckBlocks(array, MessageBlocks, "blocks", problems);
        }

        return problems;
    }

    /// <summary>A <c>view</c> for <c>views.open</c>: a modal with its title, buttons and blocks.</summary>
    public static IReadOnlyList<string> CheckModal(JsonNode? view)
    {
        var problems = new List<string>();
        if (view is JsonValue v && v.TryGetValue<string>(out var text))
        {
            view = Parse(text, "view", problems);
        }

        if (view is not JsonObject modal)
        {
            problems.Add("view: must be an object");
            return problems;
        }

        if (Str(modal["type"]) != "modal")
        {
            problems.Add($"view.type: '{Str(modal["type"])}' is not 'modal'");
        }

        PlainText(modal["title"], "view.title", ModalTitle, required: true, problems);
        PlainText(modal["submit"], "view.submit", ModalButton, required: false, problems);
        PlainText(modal["close"], "view.close", ModalButton, required: false, problems);
        MaxLength(modal["callback_id"], "view.callback_id", CallbackId, problems);
        MaxLength(modal["private_metadata"], "view.private_metadata", PrivateMetadata, problems);

        if (modal["blocks"] is not JsonArray blocks)
        {
            problems.Add("view.blocks: required, an array");
            return problems;
        }

        CheckBlocks(blocks, ModalBlocks, "view.blocks", problems);
        if (modal["submit"] is null && blocks.Any(b => Str(b?["type"]) == "input"))
        {
            problems.Add("view.submit: required when the modal has input blocks");
        }

        return problems;
    }

    private static void CheckBlocks(JsonArray blocks, int limit, string path, List<string> problems)
    {
        if (blocks.Count > limit)
        {
            problems.Add($"{path}: {blocks.Count} blocks, more than {limit}");
        }

        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < blocks.Count; i++)
        {
            var at = $"{path}[{i}]";
            if (blocks[i] is not JsonObject block)
            {
                problems.Add($"{at}: must be an object");
                continue;
            }

            if (Str(block["block_id"]) is { } blockId)
            {
                MaxLength(block["block_id"], at + ".block_id", BlockId, problems);
                if (!blockIds.Add(blockId))
                {
                    problems.Add($"{at}.block_id: '{blockId}' repeats an earlier block's id");
                }
            }

            switch (Str(block["type"]))
            {
                case "section":
                    Section(block, at, problems);
                    break;
                case "header":
                    PlainText(block["text"], at + ".text", HeaderText, required: true, problems);
                    break;
                case "divider":
                    break;
                case "actions":
                    Actions(block, at, problems);
                    break;
                case "context":
                    Context(block, at, problems);
                    break;
                case "input":
                    PlainText(block["label"], at + ".label", InputLabel, required: true, problems);
                    if (block["element"] is JsonObject element)
                    {
                        Element(element, at + ".element", new HashSet<string>(StringComparer.Ordinal), problems);
                    }
                    else
                    {
                        problems.Add($"{at}.element: required");
                    }

                    break;
                case var other:
                    problems.Add($"{at}.type: '{other}' is not a block the bot may send");
                    break;
            }
        }
    }

    private static void Section(JsonObject block, string at, List<string> problems)
    {
        if (block["text"] is null && block["fields"] is null)
        {
            problems.Add($"{at}: a section needs text or fields");
        }

        if (block["text"] is { } text)
        {
            Text(text, at + ".text", SectionText, problems);
        }

        if (block["fields"] is { } fields)
        {
            if (fields is not JsonArray array || array.Count == 0 || array.Count > SectionFields)
            {
                problems.Add($"{at}.fields: 1 to {SectionFields} text objects");
            }
            else
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Text(array[i], $"{at}.fields[{i}]", FieldText, problems);
                }
            }
        }

        if (block["accessory"] is JsonObject accessory)
        {
            Element(accessory, at + ".accessory", new HashSet<string>(StringComparer.Ordinal), problems);
        }
    }

    private static void Actions(JsonObject block, string at, List<string> problems)
    {
        if (block["elements"] is not JsonArray elements || elements.Count == 0)
        {
            problems.Add($"{at}.elements: required, at least one");
            return;
        }

        if (elements.Count > ActionsElements)
        {
            problems.Add($"{at}.elements: {elements.Count} elements, more than {ActionsElements}");
        }

        var actionIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < elements.Count; i++)
        {
            if (elements[i] is JsonObject element)
            {
                Element(element, $"{at}.elements[{i}]", actionIds, problems);
            }
            else
            {
                problems.Add($"{at}.elements[{i}]: must be an object");
            }
        }
    }

    private static void Context(JsonObject block, string at, List<string> problems)
    {
        if (block["elements"] is not JsonArray elements || elements.Count == 0 || elements.Count > ContextElements)
        {
            problems.Add($"{at}.elements: 1 to {ContextElements} text objects or images");
            return;
        }

        for (var i = 0; i < elements.Count; i++)
        {
            if (Str(elements[i]?["type"]) != "image")
            {
                Text(elements[i], $"{at}.elements[{i}]", SectionText, problems);
            }
        }
    }

    private static void Element(JsonObject element, string at, HashSet<string> actionIds, List<string> problems)
    {
        if (Str(element["action_id"]) is { } actionId)
        {
            MaxLength(element["action_id"], at + ".action_id", ActionId, problems);
            if (!actionIds.Add(actionId))
            {
                problems.Add($"{at}.action_id: '{actionId}' repeats another element's in the block");
            }
        }

        switch (Str(element["type"]))
        {
            case "button":
                PlainText(element["text"], at + ".text", ButtonText, required: true, problems);
                MaxLength(element["value"], at + ".value", ButtonValue, problems);
                MaxLength(element["url"], at + ".url", 3000, problems);
                if (Str(element["style"]) is { } style && style is not ("primary" or "danger"))
                {
                    problems.Add($"{at}.style: '{style}' is neither primary nor danger");
                }

                break;
            case "plain_text_input":
                if (element["max_length"] is JsonValue max && max.TryGetValue<int>(out var n) && (n < 1 || n > InputMaxLength))
                {
                    problems.Add($"{at}.max_length: {n} is outside 1..{InputMaxLength}");
                }

                PlainText(element["placeholder"], at + ".placeholder", Placeholder, required: false, problems);
                var allowed = element["max_length"] is JsonValue most && most.TryGetValue<int>(out var m) ? m : InputMaxLength;
                MaxLength(element["initial_value"], at + ".initial_value", allowed, problems);
                break;
            case var other:
                problems.Add($"{at}.type: '{other}' is not an element the bot may send");
                break;
        }
    }

    /// <summary>A text object: <c>{type: mrkdwn|plain_text, text}</c>; <c>emoji</c> only on plain text.</summary>
    private static void Text(JsonNode? node, string at, int limit, List<string> problems)
    {
        if (node is not JsonObject text)
        {
            problems.Add($"{at}: must be a text object");
            return;
        }

        var type = Str(text["type"]);
        if (type is not ("mrkdwn" or "plain_text"))
        {
            problems.Add($"{at}.type: '{type}' is neither mrkdwn nor plain_text");
        }

        if (type == "mrkdwn" && text["emoji"] is not null)
        {
            problems.Add($"{at}.emoji: only plain_text takes emoji");
        }

        if (text["text"] is not JsonValue value || !value.TryGetValue<string>(out var content))
        {
            problems.Add($"{at}.text: required, a string");
            return;
        }

        if (content.Length == 0)
        {
            problems.Add($"{at}.text: empty");
        }
        else if (content.Length > limit)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.text: {content.Length} characters, more than {limit}"));
        }
    }

    private static void PlainText(JsonNode? node, string at, int limit, bool required, List<string> problems)
    {
        if (node is null)
        {
            if (required)
            {
                problems.Add($"{at}: required");
            }

            return;
        }

        if (Str(node["type"]) != "plain_text")
        {
            problems.Add($"{at}.type: must be plain_text");
        }

        Text(node, at, limit, problems);
    }

    private static void MaxLength(JsonNode? node, string at, int limit, List<string> problems)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            problems.Add($"{at}: must be a string");
        }
        else if (text.Length > limit)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{at}: {text.Length} characters, more than {limit}"));
        }
    }

    private static JsonArray? AsArray(JsonNode? node, string at, List<string> problems)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            node = Parse(text, at, problems);
        }

        if (node is JsonArray array)
        {
            return array;
        }

        problems.Add($"{at}: must be an array of blocks");
        return null;
    }

    private static JsonNode? Parse(string text, string at, List<string> problems)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            problems.Add($"{at}: not JSON");
            return null;
        }
    }

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
