using Mockingbird.Testing;
using YamlDotNet.RepresentationModel;

namespace Mockingbird.Slack.Tests.Setup;

/// <summary>The app manifest the README has people paste into Slack, read the way Slack reads it: as YAML.</summary>
public sealed class ReadmeManifestTests
{
    private static async Task<YamlMappingNode> ManifestAsync()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "README.md"));
        var from = readme.IndexOf("```yaml\n", readme.IndexOf("From an app manifest", StringComparison.Ordinal), StringComparison.Ordinal) + "```yaml\n".Length;
        var block = readme[from..readme.IndexOf("```", from, StringComparison.Ordinal)];
        var indent = block.Length - block.TrimStart(' ').Length;
        var text = string.Join('\n', block.Split('\n').Select(line => line.Length >= indent ? line[indent..] : line.TrimStart()));
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlMappingNode root, params string[] path) =>
        path.Aggregate((YamlNode)root, (node, key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)]);

    [Fact]
    public async Task The_readme_manifest_is_valid_yaml_asking_for_every_scope_the_bot_uses()
    {
        var manifest = await ManifestAsync();

        var scopes = ((YamlSequenceNode)At(manifest, "oauth_config", "scopes", "bot")).Children.Select(s => ((YamlScalarNode)s).Value).ToList();

        Assert.Equal(
            ["channels:history", "channels:read", "chat:write", "commands", "files:write", "groups:history", "groups:read", "im:history", "im:write", "reactions:write", "users:read"],
            scopes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_readme_manifest_subscribes_to_thread_replies_everywhere_the_bot_runs_interviews_over_socket_mode()
    {
        var manifest = await ManifestAsync();

        var events = ((YamlSequenceNode)At(manifest, "settings", "event_subscriptions", "bot_events")).Children.Select(e => ((YamlScalarNode)e).Value);

        Assert.Equal(["message.channels", "message.groups", "message.im"], events.Order(StringComparer.Ordinal));
        Assert.Equal("true", ((YamlScalarNode)At(manifest, "settings", "socket_mode_enabled")).Value);
        Assert.Equal("/mock", ((YamlScalarNode)At((YamlMappingNode)((YamlSequenceNode)At(manifest, "features", "slash_commands")).Children[0], "command")).Value);
    }
}
