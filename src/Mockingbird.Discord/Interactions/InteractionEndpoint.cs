using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Discord.Wire;
using Mockingbird.Platforms;
using Mockingbird.Platforms.Endpoints;

namespace Mockingbird.Discord.Interactions;

public static class InteractionEndpoint
{
    /// <summary>Discord's interactions are small; anything larger is not from Discord.</summary>
    internal const int MaxBodyBytes = 256 * 1024;

    /// <summary>
    /// Maps Discord's HTTP interactions endpoint: every request's signature is checked on the raw bytes before
    /// anything is parsed (401 when it fails), a PING is answered with PONG, and every other interaction gets its
    /// first response in the reply itself, with the rest of the work done after the reply has gone.
    /// </summary>
    public static IEndpointConventionBuilder MapDiscordInteractions(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<DiscordOptions>>().Value;
        return endpoints.MapPost(options.InteractionsPath, HandleAsync);
    }

    private static Task<IResult> HandleAsync(HttpContext context, InteractionSignature signature, DiscordInterviewBot bot, AcknowledgedWork work, ILoggerFactory loggers) =>
        SignedRequests.HandleAsync(
            context,
            signature,
            MaxBodyBytes,
            Parse,
            interaction => AcknowledgeAsync(context, interaction, bot, work),
            loggers.CreateLogger(typeof(InteractionEndpoint)));

    private static Interaction? Parse(HttpRequest request, byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, DiscordJson.Default.Interaction);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<IResult> AcknowledgeAsync(HttpContext context, Interaction interaction, DiscordInterviewBot bot, AcknowledgedWork work)
    {
        var acknowledgement = await bot.AcknowledgeAsync(interaction, context.RequestAborted);
        if (DiscordInterviewBot.NeedsCompletion(acknowledgement))
        {
            // After the reply is sent: editing the deferred response before Discord has it would fail.
            context.Response.OnCompleted(() =>
            {
                work.Start(token => bot.CompleteAsync(interaction, token));
                return Task.CompletedTask;
            });
        }

        return Results.Json(acknowledgement, DiscordJson.Default.InteractionCallback);
    }
}
