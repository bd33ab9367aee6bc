using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Evaluation;

/// <summary>How much of a rubric answers that do not answer the question were credited with, per kind of answer.</summary>
/// <param name="Credited">Rubric points credited, over every answer of the kind.</param>
/// <param name="Points">Rubric points those answers were judged against.</param>
public sealed record DistractorCredit(string Kind, int Answers, int Credited, int Points)
{
    public double Share => Points == 0 ? 0 : (double)Credited / Points;
}

/// <summary>
/// Answers that say nothing for the question, judged against every bank question outside the behavioral stage (whose
/// points are about the candidate's own story, which any story partly tells): a story about the weekend, an honest
/// "I don't know", the question's own prompt said back as statements, and a strong answer to another question of the
/// same stage on other topics. The labelled eval set measures whether the judge orders real answers; this measures
/// what it credits for nothing, which a looser match improves on the first and worsens here.
/// </summary>
public static class Distractors
{
    public const string Elsewhere = "elsewhere";

    public const string NotKnowing = "not-knowing";

    public const string OtherQuestion = "other-question";

    public const string QuestionSaidBack = "question-said-back";

    private const string Weekend =
        "I really enjoy hiking on weekends, and last summer I climbed three peaks in the Alps because I wanted to challenge myself. " +
        "I also think remote work is great because it saves commuting time, so I can cook for my family in the evening.";

    public static IReadOnlyList<(Question Question, string Kind, string Answer)> For(QuestionBank bank)
    {
        ArgumentNullException.ThrowIfNull(bank);
        var questions = bank.Questions.Where(q => q.Stage != Stage.Behavioral).ToList();
        var answers = new List<(Question, string, string)>();
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            answers.Add((question, Elsewhere, Weekend));
            answers.Add((question, QuestionSaidBack, question.Prompt.Replace('?', '.')));
            answers.Add((question, NotKnowing, $"Honestly, I don't know how {question.Topics[0].Replace('-', ' ')} works in detail. I have only used hosted APIs, so I have never had to think about it, but I would read up on it before the interview."));

            // A different question each time, so no one answer decides the figure.
            var others = questions.Where(o => o.Stage == question.Stage && o.ReferenceAnswer is not null && !o.Topics.Intersect(question.Topics).Any()).ToList();
            if (others.Count > 0)
            {
                answers.Add((question, OtherQuestion, others[i % others.Count].ReferenceAnswer!));
            }
        }

        return answers;
    }

    public static async Task<IReadOnlyList<DistractorCredit>> MeasureAsync(QuestionBank bank, IAnswerJudge judge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(judge);
        var judged = new List<(string Kind, int Credited, int Points)>();
        foreach (var (question, kind, answer) in For(bank))
        {
            var feedback = await judge.JudgeAsync(new JudgeRequest(question, null, answer), cancellationToken).ConfigureAwait(false);
            judged.Add((kind, feedback.Covered.Count, question.Rubric.Count));
        }

        return [.. judged.GroupBy(j => j.Kind, StringComparer.Ordinal)
            .Select(g => new DistractorCredit(g.Key, g.Count(), g.Sum(j => j.Credited), g.Sum(j => j.Points)))];
    }
}
