using System.Security.Cryptography;

namespace AscCollab.Grains;

/// <summary>Proposal keys: <c>p-</c> followed by 10 characters of RFC 4648 base32, lower case (50 random bits).</summary>
public static class ProposalIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);

    public static string NewId()
    {
        Span<char> chars = stackalloc char[12];
        chars[0] = 'p';
        chars[1] = '-';
        for (var i = 2; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return new string(chars);
    }

    public static bool IsValid(string? id) =>
        id is { Length: 12 } && id.StartsWith("p-", StringComparison.Ordinal) && !id.AsSpan(2).ContainsAnyExcept(AlphabetValues);
}
