using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>Signs receipts with the current key. Only committed facts reach it: the grain answers once the act is durable.</summary>
internal sealed class ReceiptIssuer(ReceiptKeyRing keys, TimeProvider time)
{
    public string Sign(ReceiptFacts facts) => ReceiptJws.Sign(keys.Current, ReceiptClaims.Of(facts, keys.Current.Kid, time.GetUtcNow()));

    /// <summary>A stored receipt signed again now: the same facts, a new signature (by the key current now).</summary>
    public ReceiptCopy Copy(ReceiptFacts facts)
    {
        var claims = ReceiptClaims.Of(facts, keys.Current.Kid, time.GetUtcNow());
        return new ReceiptCopy(ReceiptJws.Sign(keys.Current, claims), claims);
    }

    /// <summary>The answer to an act that gives a receipt: the same JSON as before plus <c>receipt</c>.</summary>
    public WithReceipt<T> Answer<T>(T value, ReceiptFacts? facts) where T : class =>
        new(value, Sign(facts ?? throw new InvalidOperationException("The proposal answered an act that gives a receipt without its facts.")));
}
