namespace Mockingbird.Chat;

/// <summary>The words of the form a start with the job option opens, the same on every platform.</summary>
public static class JobForm
{
    /// <summary>Within Discord's 45 characters for a form's title and Slack's 24.</summary>
    public const string Title = "The job you prepare for";

    public const string Label = "Job description";

    /// <summary>The input's id, which its value comes back under.</summary>
    public const string FieldId = "job";

    public const string Explanation =
        "Paste the job posting, or its requirements at least. Questions lean to the topics it names, and the scorecard says which of its requirements your answers covered. It is kept only with this interview and deleted with it.";
}
