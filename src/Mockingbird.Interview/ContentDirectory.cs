namespace Mockingbird.Interview;

/// <summary>
/// Finds a content folder the app ships with (<c>questionbank/</c>, <c>prompts/</c>): a rooted path as given; a
/// relative one from the working directory (a clone being edited), else beside the application (the build copies
/// the folders there, so the binary and the container work from anywhere).
/// </summary>
public static class ContentDirectory
{
    public static string Resolve(string directory)
    {
        if (Path.IsPathRooted(directory))
        {
            return directory;
        }

        var fromWorkingDirectory = Path.GetFullPath(directory);
        if (Directory.Exists(fromWorkingDirectory))
        {
            return fromWorkingDirectory;
        }

        var besideApplication = Path.Combine(AppContext.BaseDirectory, directory);
        return Directory.Exists(besideApplication) ? besideApplication : fromWorkingDirectory;
    }
}
