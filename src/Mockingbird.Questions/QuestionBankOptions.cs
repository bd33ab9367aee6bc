using System.ComponentModel.DataAnnotations;

namespace Mockingbird.Questions;

public sealed class QuestionBankOptions
{
    public const string Section = "QuestionBank";

    /// <summary>
    /// The bank directory. A relative path is looked up from the working directory first, then beside the
    /// application, where the build copies the repository's <c>questionbank/</c>.
    /// </summary>
    [Required]
    public string Directory { get; set; } = "questionbank";

    public string ResolveDirectory()
    {
        if (Path.IsPathRooted(Directory))
        {
            return Directory;
        }

        var fromWorkingDirectory = Path.GetFullPath(Directory);
        if (System.IO.Directory.Exists(fromWorkingDirectory))
        {
            return fromWorkingDirectory;
        }

        var besideApplication = Path.Combine(AppContext.BaseDirectory, Directory);
        return System.IO.Directory.Exists(besideApplication) ? besideApplication : fromWorkingDirectory;
    }
}
