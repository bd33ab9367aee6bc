using Microsoft.ML.Tokenizers;
using Mockingbird.Interview.Judging;

namespace Mockingbird.Judging.Llm;

/// <summary>Counts tokens as gpt-4o does (o200k), offline.</summary>
public static class Tokens
{
    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForModel("gpt-4o");

    public static int Count(string text) => O200k.CountTokens(text);
}

/// <summary>
/// The running summary the interviewer sees instead of the transcript. It keeps the newest notes that fit the token
/// budget and folds the rest into one line, so a long design interview costs the same per turn as a short one.
/// </summary>
public static class InterviewMemory
{
    public static string Summarise(IReadOnlyList<TurnNote> notes, int tokenBudget)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (notes.Count == 0)
        {
            return "(first answer)";
        }

        var kept = new List<string>();
        var used = 0;
        var index = notes.Count - 1;
        for (; index >= 0; index--)
        {
            var note = notes[index];
            var line = $"- Asked: {note.Asked} Scored {note.Score:0.0}/4; still missing: {(note.Missed.Count == 0 ? "nothing" : string.Join("; ", note.Missed))}";
            var cost = Tokens.Count(line);
            if (used + cost > tokenBudget && kept.Count > 0)
            {
                break;
            }

            kept.Insert(0, line);
            used += cost;
        }

        if (index >= 0)
        {
            var older = notes.Take(index + 1).ToList();
            kept.Insert(0, $"- {older.Count} earlier answer(s), average {older.Average(n => n.Score):0.0}/4.");
        }

        return string.Join("\n", kept);
    }
}
