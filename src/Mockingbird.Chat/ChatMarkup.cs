namespace Mockingbird.Chat;

/// <summary>How a chat platform marks text up, and how it makes text the bot did not write inert.</summary>
public abstract class ChatMarkup
{
    /// <summary>The interview's title line.</summary>
    public abstract string Title(string text);

    /// <summary>A heading over a question, a feedback or the scorecard.</summary>
    public abstract string Heading(string text);

    /// <summary>A quiet line under a heading (what the judge can tell, a note on the questions).</summary>
    public abstract string Note(string text);

    public abstract string Bold(string text);

    /// <summary>
    /// Text from a candidate or a model, made unable to mention or ping anyone. Every piece of text that did not
    /// come from the bot's own wording passes through here.
    /// </summary>
    public abstract string Inert(string text);
}
