namespace Mockingbird.Testing;

/// <summary>Paths inside the repository the tests run from, found by walking up to <c>Bot.sln</c>.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string QuestionBank => Path.Combine(Root, "questionbank");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Bot.sln not found above the test directory.");
    }
}
