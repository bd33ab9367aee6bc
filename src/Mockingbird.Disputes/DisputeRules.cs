using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Disputes;

/// <summary>What the I-disagree form sends: the judged answer and the candidate's claim about one dimension.</summary>
/// <param name="FeedbackId">Names the judged answer (the id the rating buttons carry), so a dispute is opened once.</param>
/// <param name="Place">The server or workspace it is filed in, whose opted-in people score it.</param>
/// <param name="CandidateNames">Display names and handles the candidate goes by, taken out of the answer too.</param>
public sealed record DisputeRequest(
    string CandidateId,
    string Place,
    string FeedbackId,
    Question Question,
    string AnswerText,
    Feedback Feedback,
    string Dimension,
    string Reason,
    IReadOnlyList<string>? CandidateNames = null);

/// <summary>Either the dispute to open or the one sentence that says what is wrong with the request.</summary>
public sealed record DisputeDraft(Dispute? Dispute, string? Problem);

/// <summary>The rules of a dispute and a vote, apart from any store.</summary>
public static class DisputeRules
{
    public const int MaxReasonLength = 500;

    public const int LowestScore = 1;

    public const int HighestScore = 4;

    /// <summary>Disputes are scored by the people of the place they were filed in, so one with no place has nobody to score it.</summary>
    public const string NoPlace = "Disputes are scored by people in the same server or workspace, so they work only there, not in a direct message.";

    public static DisputeDraft Draft(DisputeRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Place))
        {
            return Problem(NoPlace);
        }

        var reason = request.Reason?.Trim() ?? string.Empty;
        if (reason.Length == 0)
        {
            return Problem("Say why the score is wrong: the reason is empty.");
        }

        if (reason.Length > MaxReasonLength)
        {
            return Problem(string.Create(CultureInfo.InvariantCulture, $"The reason is {reason.Length} characters; keep it to {MaxReasonLength}."));
        }

        var judged = request.Feedback.Dimensions.FirstOrDefault(d => string.Equals(d.Name, request.Dimension?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (judged is null)
        {
            var names = string.Join(", ", request.Feedback.Dimensions.Select(d => d.Name));
            return Problem($"This answer was not scored on '{request.Dimension}'; pick one of: {names}.");
        }

        if (request.Feedback.QuestionId != request.Question.Id)
        {
            return Problem("That feedback belongs to another question.");
        }

        if (string.IsNullOrWhiteSpace(request.AnswerText))
        {
            return Problem("There is no answer to dispute.");
        }

        var id = IdOf(request.CandidateId, request.FeedbackId, judged.Name);
        var blind = new BlindCase(
            id,
            request.Question.Id,
            request.Question.Prompt,
            AnswerAnonymiser.Neutralise(request.AnswerText, request.CandidateNames),
            RubricOf(request.Question, judged.Name));
        var judge = new JudgeRecord(judged.Score, request.Feedback.Source ?? new FeedbackSource(request.Feedback.Judge));
        return new DisputeDraft(new Dispute(id, request.CandidateId, blind, reason, judge, now, request.Place), null);
    }

    /// <returns>The problem with the score, or null when it is one a voter may give.</returns>
    public static string? ScoreProblem(int score) =>
        score is >= LowestScore and <= HighestScore
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"A score is {LowestScore} (weak) to {HighestScore} (strong); {score} is not one.");

    /// <summary>
    /// A design dimension is judged on the rubric points that evidence it; any other dimension (coverage, STAR
    /// structure…) on the question's whole rubric.
    /// </summary>
    public static DisputedRubric RubricOf(Question question, string dimension)
    {
        ArgumentNullException.ThrowIfNull(question);
        var own = question.Rubric.Where(p => p.Dimension is { } d && string.Equals(d.ToWire(), dimension, StringComparison.OrdinalIgnoreCase)).ToList();
        return new DisputedRubric(dimension, [.. (own.Count > 0 ? own : question.Rubric).Select(p => p.Text)]);
    }

    /// <summary>Derived, not random: a retried or doubled press of the button names the same dispute.</summary>
    public static string IdOf(string candidateId, string feedbackId, string dimension)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{candidateId}\n{feedbackId}\n{dimension.ToLowerInvariant()}"));
        return "d" + Convert.ToHexStringLower(digest.AsSpan(0, 10));
    }

    private static DisputeDraft Problem(string problem) => new(null, problem);
}
