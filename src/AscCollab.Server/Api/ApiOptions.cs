using System.ComponentModel.DataAnnotations;

namespace AscCollab.Server;

/// <summary>Limits of the HTTP edge ("Api" section).</summary>
internal sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Request bodies larger than this are refused with 413 before they are read.</summary>
    [Range(1_024, 16 * 1_024 * 1_024)]
    public long MaxRequestBodyBytes { get; set; } = 1_024 * 1_024;

    /// <summary>Requests one member delegation (or one anonymous address) may make per window.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerWindow { get; set; } = 600;

    /// <summary>The fixed rate-limiting window.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
