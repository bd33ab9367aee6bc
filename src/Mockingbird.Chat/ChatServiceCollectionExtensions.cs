using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat;

public static class ChatServiceCollectionExtensions
{
    /// <summary>
    /// The chat flow for one platform: <see cref="ChatInterviews"/> (once, whichever platform asks first) and the
    /// platform's output, which replaces any <see cref="IInterviewOutput"/> registered before it so the judging
    /// workers post feedback in the platform's threads.
    /// </summary>
    public static IServiceCollection AddChatPlatform<TOutput>(this IServiceCollection services)
        where TOutput : class, IInterviewOutput
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChatInterviews>();
        services.AddSingleton<TOutput>();
        services.Replace(ServiceDescriptor.Singleton<IInterviewOutput>(sp => sp.GetRequiredService<TOutput>()));
        return services;
    }
}
