namespace Mockingbird.Interview.Judging;

/// <summary>Words as a reader counts them: runs of non-space characters. One definition for every length shown.</summary>
public static class WordCount
{
    public static int Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isWordChar = !char.IsWhiteSpace(c);
            if (isWordChar && !inWord)
            {
                words++;
            }

            inWord = isWordChar;
        }

        return words;
    }
}
