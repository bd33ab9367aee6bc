using Mockingbird.Interview.Questions;
using Mockingbird.StudyGroups.Rounds;

namespace Mockingbird.StudyGroups.Suggestions;

/// <summary>
/// The questions a channel's daily question draws from: the bank's, and those its admins approved from members'
/// suggestions. A round's question is found here, wherever it came from, for the post, the judging and the reveal.
/// </summary>
public sealed class DailyQuestionPool(IStudyGroupStore store, QuestionBank bank)
{
    public async Task<IReadOnlyList<Question>> QuestionsAsync(string channelKey, CancellationToken cancellationToken)
    {
        var approved = await store.PoolAsync(channelKey, cancellationToken);
        return approved.Count == 0 ? bank.Questions : [.. bank.Questions, .. approved.Select(DailySuggestions.PoolQuestion).OfType<Question>()];
    }

    /// <summary>The round's question: the bank's, or one approved into its channel's pool; <c>null</c> when neither has it any more.</summary>
    public async Task<Question?> FindAsync(DailyRound round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        if (bank.Find(round.QuestionId) is { } question)
        {
            return question;
        }

        if (DailySuggestions.SuggestionIdOf(round.QuestionId) is not { } suggestionId)
        {
            return null;
        }

        var approved = (await store.PoolAsync(round.Channel.Key, cancellationToken)).FirstOrDefault(s => s.Id == suggestionId);
        return approved is null ? null : DailySuggestions.PoolQuestion(approved) is { } pooled && pooled.Id == round.QuestionId ? pooled : null;
    }
}
