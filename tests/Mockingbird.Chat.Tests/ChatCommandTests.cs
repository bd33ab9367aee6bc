using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Chat.Tests;

public sealed class ChatCommandTests
{
    [Theory]
    [InlineData("start system-design", InterviewPlan.SystemDesign, null, null, null)]
    [InlineData("start theory senior mlops 3", InterviewPlan.Theory, Level.Senior, Track.Mlops, 3)]
    [InlineData("  START   full 8  staff ", InterviewPlan.Full, Level.Staff, null, 8)]
    public void Typed_starts_take_the_plan_then_level_track_and_count_in_any_order(string text, InterviewPlan plan, Level? level, Track? track, int? count)
    {
        var start = Assert.IsType<ChatCommand.Start>(ChatCommand.ParseText(text));

        Assert.Equal(new InterviewOptions(plan, level, track, count), start.Options);
    }

    [Theory]
    [InlineData("hint", typeof(ChatCommand.Hint))]
    [InlineData("Skip", typeof(ChatCommand.Skip))]
    [InlineData("end", typeof(ChatCommand.EndInterview))]
    [InlineData("resume", typeof(ChatCommand.ResumeInterview))]
    [InlineData("history", typeof(ChatCommand.History))]
    [InlineData("forget-me", typeof(ChatCommand.ForgetMe))]
    [InlineData("", typeof(ChatCommand.Help))]
    [InlineData("help", typeof(ChatCommand.Help))]
    public void Each_typed_subcommand_is_recognised(string text, Type expected)
    {
        Assert.IsType(expected, ChatCommand.ParseText(text));
    }

    [Theory]
    [InlineData("start", "Say which interview")]
    [InlineData("start astrology", "Choose a plan")]
    [InlineData("start theory wizard", "`wizard` is not a level")]
    [InlineData("start full 2", "between 4 and 20")]
    [InlineData("hint please", "takes nothing after it")]
    [InlineData("dance", "not a command I know")]
    public void Typed_commands_that_cannot_run_say_why(string text, string expected)
    {
        var unknown = Assert.IsType<ChatCommand.Unknown>(ChatCommand.ParseText(text));

        Assert.Contains(expected, unknown.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_names_every_subcommand_under_the_platforms_command()
    {
        var usage = ChatCommand.Usage("/mock");

        Assert.All(ChatCommand.Subcommands, s => Assert.Contains($"/mock {s.Name}", usage, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("start full job", InterviewPlan.Full, null, null, null)]
    [InlineData("start theory JOB senior mlops 3", InterviewPlan.Theory, Level.Senior, Track.Mlops, 3)]
    public void A_typed_start_with_job_asks_for_the_job_description_form_and_keeps_its_options(string text, InterviewPlan plan, Level? level, Track? track, int? count)
    {
        var ask = Assert.IsType<ChatCommand.AskForJob>(ChatCommand.ParseText(text));

        Assert.Equal(new InterviewOptions(plan, level, track, count), ask.Options);
    }

    [Theory]
    [InlineData(InterviewPlan.Full, null, null, null)]
    [InlineData(InterviewPlan.SystemDesign, Level.Staff, Track.Research, 2)]
    public void A_starts_options_come_back_unchanged_from_the_words_a_form_carries(InterviewPlan plan, Level? level, Track? track, int? count)
    {
        var options = new InterviewOptions(plan, level, track, count);

        var start = Assert.IsType<ChatCommand.Start>(ChatCommand.ParseText($"start {ChatCommand.StartWords(options)}"));

        Assert.Equal(options, start.Options);
    }

    [Fact]
    public void A_start_with_job_that_cannot_run_says_why_before_any_form_opens()
    {
        var unknown = Assert.IsType<ChatCommand.Unknown>(ChatCommand.ParseText("start full 2 job"));

        Assert.Contains("between 4 and 20", unknown.Problem, StringComparison.Ordinal);
    }
}
