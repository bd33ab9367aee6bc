namespace Mockingbird.Host.Tests;

internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Bank => Path.Combine(Root, "questionbank");

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
