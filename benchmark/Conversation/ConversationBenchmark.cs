using Mender.Service;
using Microsoft.Extensions.AI;

namespace Mender.Benchmark.Conversation;

/// <summary>What one checkpoint did at one turn, averaged over the users.</summary>
/// <param name="Turn">The turn's number, from 1.</param>
/// <param name="Say">What the user said at the turn.</param>
/// <param name="Preference">The preference the turns so far add up to; null when they add up to none.</param>
/// <param name="Before">Share of the previous turn's list (the history-only list before turn 1) that this turn is about.</param>
/// <param name="HitRate">Share of this turn's list that the turn is about.</param>
/// <param name="Overlap">Share of the list that was already in the previous turn's list (the history-only list before turn 1).</param>
public sealed record TurnResult(int Turn, string Say, string? Preference, double Before, double HitRate, double Overlap);

/// <summary>A checkpoint's answers through a scripted conversation, with the history-only list as turn 0.</summary>
public sealed record ConversationRun(string Checkpoint, string Mode, int Users, int K, IReadOnlyList<TurnResult> Turns);

/// <summary>
/// Replays a scripted conversation for many users through <see cref="MenderChatClient"/> (so the turns are combined as
/// the chat API combines them) and measures, turn by turn, how much of each list is what the turn is about and how
/// much of it stayed from the turn before. Run on a mender-mode and a tiger-mode checkpoint of the same world, it shows
/// what preference conditioning adds over history alone.
/// </summary>
public static class ConversationBenchmark
{
    /// <summary>Replays the script for the first users with a history and averages what each turn's list is about.</summary>
    /// <param name="service">The service of the checkpoint to measure.</param>
    /// <param name="checkpoint">The checkpoint's name or path, as the result reports it.</param>
    /// <param name="script">The turns to replay.</param>
    /// <param name="users">How many users to replay the script for (at least 1).</param>
    /// <param name="k">How many items each list holds.</param>
    /// <param name="progress">Told how many users are done.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<ConversationRun> RunAsync(RecommendationService service, string checkpoint, IReadOnlyList<ConversationTurn> script,
        int users, int k, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        using var client = new MenderChatClient(service);
        var items = service.Dataset.Items.ToDictionary(i => i.ExternalId, StringComparer.Ordinal);
        var chosen = service.Dataset.Users.Where(u => u.Interactions.Count > 0).Take(users).ToList();
        var before = new double[script.Count + 1];
        var hits = new double[script.Count + 1];
        var overlaps = new double[script.Count + 1];
        var preferences = new string?[script.Count + 1];
        for (var u = 0; u < chosen.Count; u++)
        {
            var options = new ChatOptions { AdditionalProperties = new() { [MenderChatClient.UserIdKey] = chosen[u].ExternalId, [MenderChatClient.KKey] = k } };
            var messages = new List<ChatMessage>();
            List<string> previous = [];
            for (var t = 0; t <= script.Count; t++)
            {
                if (t > 0)
                {
                    if (messages.Count > 0) messages.Add(new ChatMessage(ChatRole.Assistant, "..."));
                    messages.Add(new ChatMessage(ChatRole.User, script[t - 1].Say));
                }
                var answer = await client.GetResponseAsync(messages.Count > 0 ? messages : [new ChatMessage(ChatRole.User, "")], options, cancellationToken)
                    .ConfigureAwait(false);
                var response = (RecommendationResponse)answer.RawRepresentation!;
                var listed = response.Items.Select(i => i.ItemId).ToList();
                if (t > 0)
                {
                    var turn = script[t - 1];
                    double Share(List<string> ids) => ids.Count(id => items.TryGetValue(id, out var item) && turn.Concerns(item)) / (double)k;
                    before[t] += Share(previous);
                    hits[t] += Share(listed);
                    overlaps[t] += listed.Count(previous.Contains) / (double)k;
                }
                preferences[t] = response.Preference;
                previous = listed;
            }
            progress?.Report(u + 1);
        }
        var turns = Enumerable.Range(1, script.Count)
            .Select(t => new TurnResult(t, script[t - 1].Say, preferences[t], before[t] / chosen.Count, hits[t] / chosen.Count, overlaps[t] / chosen.Count))
            .ToList();
        return new ConversationRun(checkpoint, service.Mode, chosen.Count, k, turns);
    }
}
