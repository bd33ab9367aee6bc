using System.Text;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Slack.Events;

namespace Mockingbird.Slack.Tests.Events;

public sealed class SlackSignatureTests
{
    // Slack's published example (api.slack.com/authentication/verifying-requests-from-slack), a slash command.
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private const string Body =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
        + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
        + "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    private readonly FakeTimeProvider _time = new(SignedAt);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private SlackSignature Verifier(string secret = Secret) => new(secret, Window, _time);

    [Fact]
    public void Slacks_published_example_is_valid_at_its_timestamp()
    {
        Assert.True(Verifier().IsValid(Signature, Timestamp, Bytes(Body)));
    }

    [Fact]
    public void A_body_with_extra_bytes_is_refused()
    {
        Assert.False(Verifier().IsValid(Signature, Timestamp, Bytes(Body + "------")));
    }

    [Fact]
    public void A_different_signing_secret_is_refused()
    {
        Assert.False(Verifier("8f742231b10e8888abcd99yyyzzz85a6").IsValid(Signature, Timestamp, Bytes(Body)));
    }

    [Fact]
    public void A_different_timestamp_header_is_refused_because_it_is_signed()
    {
        Assert.False(Verifier().IsValid(Signature, "1531420619", Bytes(Body)));
    }

    [Fact]
    public void The_same_request_is_valid_at_the_edge_of_the_window_and_refused_a_second_later()
    {
        var verifier = Verifier();

        _time.Advance(TimeSpan.FromSeconds(300));
        Assert.True(verifier.IsValid(Signature, Timestamp, Bytes(Body)));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(verifier.IsValid(Signature, Timestamp, Bytes(Body)));
    }

    [Fact]
    public void A_timestamp_from_more_than_the_window_in_the_future_is_refused()
    {
        var early = new FakeTimeProvider(SignedAt - TimeSpan.FromSeconds(301));
        var verifier = new SlackSignature(Secret, Window, early);

        Assert.False(verifier.IsValid(Signature, Timestamp, Bytes(Body)));

        early.Advance(TimeSpan.FromSeconds(1));
        Assert.True(verifier.IsValid(Signature, Timestamp, Bytes(Body)));
    }

    [Theory]
    [InlineData(null, Timestamp)]
    [InlineData("", Timestamp)]
    [InlineData(Signature, null)]
    [InlineData(Signature, "")]
    [InlineData(Signature, " 1531420618")]
    [InlineData(Signature, "+1531420618")]
    [InlineData(Signature, "1531420618.5")]
    [InlineData(Signature, "-1531420618")]
    [InlineData(Signature, "99999999999999999999999")]
    [InlineData(Signature, "999999999999999999")]
    [InlineData("a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", Timestamp)]
    [InlineData("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", Timestamp)]
    [InlineData("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b5", Timestamp)]
    [InlineData("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503 ", Timestamp)]
    [InlineData("v0=zz114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", Timestamp)]
    public void Missing_or_malformed_headers_are_refused(string? signature, string? timestamp)
    {
        Assert.False(Verifier().IsValid(signature, timestamp, Bytes(Body)));
    }

    [Fact]
    public void Upper_case_hex_is_refused_because_slack_signs_in_lower_case()
    {
        var upper = "v0=" + Signature["v0=".Length..].ToUpperInvariant();

        Assert.False(Verifier().IsValid(upper, Timestamp, Bytes(Body)));
    }

    [Fact]
    public void A_json_event_body_is_checked_over_its_raw_bytes_not_a_reserialised_copy()
    {
        // Computed apart from this code: printf 'v0:1531420618:<raw>' | openssl dgst -sha256 -hmac <secret>
        const string Raw = """{"type":"event_callback", "event_id":"Ev1"}""";
        const string Signed = "v0=8b2f08bdcfbeafab27babe361b3455697c48a77ed16fa32a28febd75beb97d23";
        var verifier = Verifier();

        Assert.True(verifier.IsValid(Signed, Timestamp, Bytes(Raw)));
        Assert.False(verifier.IsValid(Signed, Timestamp, Bytes("""{"type":"event_callback","event_id":"Ev1"}""")));
    }

    [Fact]
    public void A_blank_signing_secret_is_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new SlackSignature(" ", Window, _time));
    }
}
