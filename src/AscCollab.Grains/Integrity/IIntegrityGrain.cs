using Orleans;
using Orleans.Concurrency;

namespace AscCollab.Grains;

/// <summary>
/// The cluster's integrity incidents registry (single key <see cref="Key"/>): whatever finds stored
/// data changed or lost reports it here. A new incident is logged Critical, pushed to the Chair and
/// the secretariat (<see cref="IntegrityIncidentChanged"/>) and turns <c>/health</c> degraded until
/// it is acknowledged. docs/storage.md, "Integrity".
/// </summary>
[Alias("AscCollab.IIntegrityGrain")]
public interface IIntegrityGrain : IGrainWithStringKey
{
    public const string Key = "asc";

    /// <summary>
    /// Records an incident (for grains and the host, not for callers: no caller check). The same open
    /// incident (kind, proposal, location) reported again is counted, not duplicated. invalid_input for a bad kind.
    /// </summary>
    Task<IntegrityIncident> Report(IntegrityReport report);

    /// <summary>Chair and secretariat: every incident kept, newest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<IntegrityIncident>> List(Caller caller);

    /// <summary>
    /// Secretariat only: acknowledges one open incident with a reason. An incident that holds a
    /// proposal (<see cref="IntegrityIncident.Holds"/>) is acknowledged through the proposal, which lifts
    /// its hold (invalid_transition here). not_found for an unknown id; invalid_transition if already acknowledged.
    /// </summary>
    Task<IntegrityIncident> Acknowledge(Caller caller, string incidentId, string reason);

    /// <summary>For the proposal grain, after the secretariat acknowledged its hold: every open incident of the proposal is acknowledged.</summary>
    Task<IReadOnlyList<IntegrityIncident>> AcknowledgeProposal(string proposalId, IntegrityAcknowledgement acknowledgement);

    /// <summary>Open incidents, for <c>/health</c> (no caller check: it says only counts, kinds and proposal ids).</summary>
    [ReadOnly]
    Task<IntegrityStatus> Status();
}
