using Microsoft.Extensions.Options;
using Mockingbird.Chat;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Drills.Tests;

/// <summary>The drills command and forget-me as the chat flow runs them, whichever platform they came from.</summary>
public sealed class DrillChatTests
{
    private readonly DrillWorld _world = new();

    private ChatInterviews Chat()
    {
        var options = Options.Create(new SessionStoreOptions());
        var service = new InterviewService(new InterviewEngine(SampleQuestions.Bank()), new InMemorySessionStore(options, _world.Time), new RubricJudge(), _world.Time, JudgingMode.Queued);
        return new ChatInterviews(
            service,
            new InMemoryInterviewThreads(options, _world.Time),
            new InMemoryFeedbackRatings(),
            _world.Time,
            new RecordingLogger<ChatInterviews>(),
            [new DrillMemory(_world.Store)],
            drillCommands: _world.Commands);
    }

    private static Task<string> CommandAsync(ChatInterviews chat, string text) =>
        chat.CommandAsync(new ChatRequest("c-1", "e-1", 1), ChatCommand.ParseText(text), Mock.Of<IChatSurface>(), "/mock", default);

    [Fact]
    public async Task Drills_typed_in_chat_reach_the_drill_commands_and_forget_me_deletes_the_drill_plan_saying_so()
    {
        var chat = Chat();

        var on = await CommandAsync(chat, "drills on Europe/Berlin");
        var forgotten = await CommandAsync(chat, "forget-me");

        Assert.StartsWith("Drills are on.", on, StringComparison.Ordinal);
        Assert.Contains("1 drill plan (settings, schedule and answer scores)", forgotten, StringComparison.Ordinal);
        Assert.Null(await _world.Store.FindAsync("c-1", default));
        Assert.StartsWith("Drills are off.", await CommandAsync(chat, "drills"), StringComparison.Ordinal);
    }
}
