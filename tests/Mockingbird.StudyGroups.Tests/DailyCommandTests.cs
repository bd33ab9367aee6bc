namespace Mockingbird.StudyGroups.Tests;

public sealed class DailyCommandTests
{
    [Fact]
    public void Set_takes_an_escaped_channel_a_time_a_zone_and_pins_in_any_order()
    {
        var command = DailyCommand.ParseText("set <#C0123ABCD|ml-study> 09:30 Europe/Berlin senior design topic=rag hours=12");

        var set = Assert.IsType<DailyCommand.SetUp>(command);
        Assert.Equal(new DailyCommand.SetUp("C0123ABCD", "09:30", "Europe/Berlin", "design", "senior", null, "rag", 12), set);
    }

    [Fact]
    public void A_word_that_is_nothing_known_is_named_in_the_problem()
    {
        var command = DailyCommand.ParseText("set 09:00 PST");

        Assert.Contains("`PST`", Assert.IsType<DailyCommand.Invalid>(command).Problem, StringComparison.Ordinal);
    }
}
