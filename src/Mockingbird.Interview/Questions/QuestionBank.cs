using System.Collections.Frozen;

namespace Mockingbird.Interview.Questions;

/// <summary>The validated set of questions an interview draws from. Immutable once built.</summary>
public sealed class QuestionBank
{
    private readonly FrozenDictionary<string, Question> _byId;

    public QuestionBank(IEnumerable<Question> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        Questions = [.. questions];
        var duplicate = Questions.GroupBy(q => q.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Question id '{duplicate.Key}' appears more than once.", nameof(questions));
        }

        _byId = Questions.ToFrozenDictionary(q => q.Id, StringComparer.Ordinal);
    }

    /// <summary>Every question, in the order the bank files list them (files in name order).</summary>
    public IReadOnlyList<Question> Questions { get; }

    public int Count => Questions.Count;

    public Question? Find(string id) => _byId.GetValueOrDefault(id);

    public IEnumerable<Question> ForStage(Stage stage) => Questions.Where(q => q.Stage == stage);
}
