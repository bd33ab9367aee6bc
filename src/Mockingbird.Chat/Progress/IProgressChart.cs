namespace Mockingbird.Chat.Progress;

/// <summary>Draws a candidate's progress as an image a chat platform can show.</summary>
public interface IProgressChart
{
    /// <summary>A PNG of the stage and rubric-dimension lines, with alt text; one interview draws points, not lines.</summary>
    ChatImage Render(ProgressSeries progress);
}
