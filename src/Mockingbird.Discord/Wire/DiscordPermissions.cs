using System.Numerics;

namespace Mockingbird.Discord.Wire;

/// <summary>Permission bits as Discord numbers them; a permission set travels as a decimal string.</summary>
internal static class DiscordPermissions
{
    /// <summary>Grants every permission, whatever a channel's overwrites say.</summary>
    public static readonly BigInteger Administrator = BigInteger.One << 3;

    /// <summary>Manage Server.</summary>
    public static readonly BigInteger ManageGuild = BigInteger.One << 5;

    public static readonly BigInteger ReadMessageHistory = BigInteger.One << 16;
}
