using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mockingbird.Questions;

public static class QuestionBankServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="QuestionBankOptions"/> from the <c>QuestionBank</c> section and registers the bank, loaded
    /// and validated once on first use; a malformed bank throws <see cref="QuestionBankException"/> naming file and line.
    /// </summary>
    public static IServiceCollection AddQuestionBank(this IServiceCollection services)
    {
        services.AddOptions<QuestionBankOptions>()
            .BindConfiguration(QuestionBankOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => QuestionBankLoader.Load(sp.GetRequiredService<IOptions<QuestionBankOptions>>().Value.ResolveDirectory()));
        return services;
    }
}
