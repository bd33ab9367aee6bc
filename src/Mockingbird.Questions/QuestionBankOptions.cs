using System.ComponentModel.DataAnnotations;
using Mockingbird.Interview;

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

    public string ResolveDirectory() => ContentDirectory.Resolve(Directory);
}
