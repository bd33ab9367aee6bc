namespace Mockingbird.Platforms.Tests;

public sealed class BoundedBodyTests
{
    [Fact]
    public async Task A_body_within_the_limit_is_read_whole()
    {
        using var body = new MemoryStream(new byte[40_000]);

        var bytes = await BoundedBody.ReadAsync(body, maxBytes: 40_000, CancellationToken.None);

        Assert.Equal(40_000, bytes?.Length);
    }

    [Fact]
    public async Task A_body_one_byte_over_the_limit_is_refused()
    {
        using var body = new MemoryStream(new byte[40_001]);

        var bytes = await BoundedBody.ReadAsync(body, maxBytes: 40_000, CancellationToken.None);

        Assert.Null(bytes);
    }
}
