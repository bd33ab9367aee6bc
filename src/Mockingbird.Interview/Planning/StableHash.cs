namespace Mockingbird.Interview.Planning;

/// <summary>
/// A seeded 64-bit hash that is the same on every machine, runtime and run: selection must replay exactly from a
/// seed, which <see cref="string.GetHashCode()"/> (randomised per process) and <see cref="Random"/> (whose seeded
/// sequence is not a documented contract) cannot promise.
/// </summary>
public static class StableHash
{
    public static ulong Of(string text, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(text);
        const ulong fnvPrime = 0x100000001b3;
        var hash = 0xcbf29ce484222325 ^ Mix(seed);
        foreach (var c in text)
        {
            hash = (hash ^ c) * fnvPrime;
        }

        return Mix(hash);
    }

    /// <summary>The SplitMix64 finaliser: spreads every input bit over the whole output.</summary>
    public static ulong Mix(ulong value)
    {
        value += 0x9e3779b97f4a7c15;
        value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9;
        value = (value ^ (value >> 27)) * 0x94d049bb133111eb;
        return value ^ (value >> 31);
    }
}
