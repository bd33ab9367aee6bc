using System.Text.RegularExpressions;
using Mockingbird.Testing;

namespace Mockingbird.Host.Tests;

/// <summary>The delivery guarantees name the tests that hold them up; a renamed or removed test must not leave a name behind.</summary>
public sealed partial class GuaranteesDocumentTests
{
    [Fact]
    public async Task Every_test_the_delivery_guarantees_name_is_a_test_in_the_suite()
    {
        var guarantees = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "docs", "DELIVERY.md"));
        var named = TestName().Matches(guarantees).Select(match => match.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "tests"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match match in TestDefinition().Matches(await File.ReadAllTextAsync(file)))
            {
                defined.Add(match.Groups[1].Value);
            }
        }

        Assert.True(named.Count > 50, $"only {named.Count} test names found in DELIVERY.md");
        var missing = named.Where(name => !defined.Contains(name)).ToList();
        Assert.True(missing.Count == 0, $"DELIVERY.md names tests that do not exist: {string.Join(", ", missing)}");
    }

    /// <summary>A backticked name of at least four words joined by underscores, the way tests are named.</summary>
    [GeneratedRegex(@"`([A-Z][A-Za-z0-9]*(?:_[A-Za-z0-9]+){3,})`")]
    private static partial Regex TestName();

    [GeneratedRegex(@"\b(?:Task|void)\s+([A-Z][A-Za-z0-9_]+)\s*\(")]
    private static partial Regex TestDefinition();
}
