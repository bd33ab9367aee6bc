using System.Text.RegularExpressions;
using Mockingbird.Interview.Questions;
using Mockingbird.Questions;

namespace Mockingbird.StudyGroups.Suggestions;

/// <summary>What a suggestion's text comes to: a question the judges can use, problems to fix, or free text.</summary>
/// <param name="Question">The question as the bank's parser read it (its own id), when the text is a valid one.</param>
/// <param name="Problems">Why text in the bank's schema is not a valid question, each with its line in the text.</param>
public sealed record SuggestionReading(Question? Question, IReadOnlyList<BankProblem> Problems, bool IsFreeText);

/// <summary>
/// Reads members' suggestions with the bank's own parser, so a suggested question obeys every rule a bank question
/// does, and gives approved ones ids no bank question can have.
/// </summary>
public static partial class DailySuggestions
{
    /// <summary>Longer suggestions are refused: a bank question with a full rubric is a few thousand characters.</summary>
    public const int MaxCharacters = 8_000;

    /// <summary>A channel holds at most this many suggestions waiting for an admin, so nobody can flood its list.</summary>
    public const int MaxPending = 50;

    /// <summary>What the parser calls the text in its problems; replies give only the line.</summary>
    private const string SourceName = "suggestion";

    /// <summary>
    /// Text is read as the bank's schema when it names at least two of its fields at the start of a line or of a flow
    /// mapping entry (<c>{id: …, stage: …}</c>, the form a one-line slash command allows); anything else is free text.
    /// </summary>
    public static SuggestionReading Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = SchemaField().Matches(text).Select(m => m.Groups["field"].Value).Distinct(StringComparer.Ordinal).Count();
        if (fields < 2)
        {
            return new SuggestionReading(null, [], IsFreeText: true);
        }

        var (questions, problems) = QuestionFileParser.Parse(SourceName, text);
        if (problems.Count > 0)
        {
            return new SuggestionReading(null, problems, IsFreeText: false);
        }

        return questions.Count == 1
            ? new SuggestionReading(questions[0].Question, [], IsFreeText: false)
            : new SuggestionReading(null, [new BankProblem(SourceName, 1, $"a suggestion holds exactly one question; this holds {questions.Count}")], IsFreeText: false);
    }

    /// <summary>
    /// An approved suggestion as a question of its channel's pool, with the id <c>s7:its-own-id</c>: bank ids are
    /// kebab-case, so one with a colon can never be a bank question's. <c>null</c> for free text, or text the bank's
    /// rules no longer accept.
    /// </summary>
    public static Question? PoolQuestion(DailySuggestion suggestion)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        return suggestion.IsFreeText || Read(suggestion.Text).Question is not { } question
            ? null
            : question with { Id = PoolIdOf(suggestion.Id, question.Id) };
    }

    public static string PoolIdOf(string suggestionId, string questionId) => $"{suggestionId}:{questionId}";

    /// <summary>The suggestion a pool question came from, or <c>null</c> for a bank question's id.</summary>
    public static string? SuggestionIdOf(string questionId)
    {
        ArgumentNullException.ThrowIfNull(questionId);
        var colon = questionId.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? questionId[..colon] : null;
    }

    [GeneratedRegex(@"(?:^|[\n{,])[ \t]*(?:-[ \t]+)?(?<field>id|stage|topics|levels|tracks|prompt|rubric|follow_ups|questions)[ \t]*:", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaField();
}
