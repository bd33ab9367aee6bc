using Mockingbird.Discord.Commands;
using Mockingbird.Drills;

namespace Mockingbird.Discord.Tests.Commands;

public sealed class DrillComponentIdsTests
{
    [Fact]
    public void A_drills_button_and_form_ids_name_the_user_and_the_drill_within_discords_100_characters()
    {
        var drillId = DrillScheduler.DrillIdOf("evaluation-monitoring-and-feedback-loops", DateTimeOffset.MaxValue);
        const string User = "18446744073709551615";

        var button = ComponentIds.DrillAnswer(User, drillId);
        var modal = ComponentIds.DrillModal(User, drillId);

        Assert.InRange(button.Length, 1, ComponentIds.MaxLength);
        Assert.InRange(modal.Length, 1, ComponentIds.MaxLength);
        Assert.True(ComponentIds.IsDrillAnswer(button, out var pressedBy, out var pressed));
        Assert.True(ComponentIds.IsDrillModal(modal, out var sentBy, out var sent));
        Assert.Equal((User, drillId, User, drillId), (pressedBy, pressed, sentBy, sent));
        Assert.False(ComponentIds.IsDrillAnswer(modal, out _, out _));
        Assert.False(ComponentIds.IsDrillModal(button, out _, out _));
        Assert.False(ComponentIds.IsDailyAnswer(button, out _));
        Assert.False(ComponentIds.IsDrillAnswer("mb:drill:" + User, out _, out _));
    }
}
