using System.Text;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Discord.Interactions;
using NSec.Cryptography;

namespace Mockingbird.Discord.Tests.Interactions;

public sealed class InteractionSignatureTests
{
    // RFC 8032 section 7.1, test 1: the key pair behind Discord-shaped vectors that anyone can recompute.
    private const string PublicKeyHex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private const string SecretKeyHex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private const string PingSignature = "1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0614e4dc13cd47f0f";
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":1}");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    private InteractionSignature Signature() => new(PublicKeyHex, TimeSpan.FromMinutes(5), _time);

    [Fact]
    public void The_rfc_8032_key_verifies_its_published_signature_of_the_empty_message()
    {
        var key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(PublicKeyHex), KeyBlobFormat.RawPublicKey);
        var signature = Convert.FromHexString("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

        Assert.True(SignatureAlgorithm.Ed25519.Verify(key, [], signature));
    }

    [Fact]
    public void A_ping_signed_over_timestamp_and_body_is_accepted()
    {
        Assert.True(Signature().IsValid(PingSignature, "1700000000", Ping));
        Assert.True(Signature().IsValid(PingSignature.ToUpperInvariant(), "1700000000", Ping));
    }

    [Fact]
    public void One_flipped_body_byte_is_refused()
    {
        var tampered = (byte[])Ping.Clone();
        tampered[^2] ^= 0x01;

        Assert.False(Signature().IsValid(PingSignature, "1700000000", tampered));
    }

    [Fact]
    public void The_same_body_reserialised_with_a_space_is_refused_because_the_raw_bytes_are_what_is_signed()
    {
        Assert.False(Signature().IsValid(PingSignature, "1700000000", Encoding.UTF8.GetBytes("{\"type\": 1}")));
    }

    [Fact]
    public void A_signature_by_another_key_is_refused()
    {
        using var other = Key.Create(SignatureAlgorithm.Ed25519);
        var signed = SignatureAlgorithm.Ed25519.Sign(other, [.. Encoding.ASCII.GetBytes("1700000000"), .. Ping]);

        Assert.False(Signature().IsValid(Convert.ToHexString(signed), "1700000000", Ping));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("zz")]
    [InlineData("1695961a47c91a1e")]
    [InlineData("g695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0614e4dc13cd47f0f")]
    public void A_missing_or_malformed_signature_header_is_refused(string? signature)
    {
        Assert.False(Signature().IsValid(signature, "1700000000", Ping));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("17e8")]
    [InlineData("99999999999999999999999")]
    public void A_missing_or_malformed_timestamp_is_refused(string? timestamp)
    {
        Assert.False(Signature().IsValid(PingSignature, timestamp, Ping));
    }

    [Fact]
    public void A_correctly_signed_request_older_than_the_window_is_refused_as_a_replay()
    {
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        Assert.False(Signature().IsValid(PingSignature, "1700000000", Ping));
    }

    [Fact]
    public void A_request_signed_a_little_ahead_of_our_clock_is_accepted_but_not_one_far_ahead()
    {
        using var key = Key.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(SecretKeyHex), KeyBlobFormat.RawPrivateKey);
        string SignAt(long seconds) => Convert.ToHexString(SignatureAlgorithm.Ed25519.Sign(key, [.. Encoding.ASCII.GetBytes($"{seconds}"), .. Ping]));

        Assert.True(Signature().IsValid(SignAt(1_700_000_030), "1700000030", Ping));
        Assert.False(Signature().IsValid(SignAt(1_700_000_400), "1700000400", Ping));
    }
}
