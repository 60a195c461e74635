namespace Mender.Data.Demo;

/// <summary>
/// Writes the rating, summary and review text a demo user gives an item. The rating follows the taste (liked attributes
/// raise it, disliked ones pull it down hard); the text names every liked and every disliked attribute the item has,
/// in sentences that contain the attribute's keyword, and may wish for a liked attribute the item lacks.
/// </summary>
internal static class DemoReviewer
{
    public readonly record struct Review(float Rating, string Summary, string Text);

    public static Review Write(DemoRandom random, DemoProductType type, DemoAttribute[] attributes, DemoAttribute[] likes, DemoAttribute[] dislikes)
    {
        var liked = attributes.Where(likes.Contains).ToArray();
        var disliked = attributes.Where(dislikes.Contains).ToArray();
        var wished = likes.Where(l => l.AppliesTo(type) && !attributes.Contains(l)).ToArray();

        var score = 4.1 + 0.55 * liked.Length - 1.9 * disliked.Length
                    - (liked.Length == 0 && wished.Length > 0 ? 0.5 : 0) + 0.6 * random.Normal();
        var rating = (int)Math.Clamp(Math.Round(score), 1, 5);

        var typeName = type.Name.ToLowerInvariant();
        string Fill(string sentence) => sentence.Replace("{type}", typeName, StringComparison.Ordinal);
        var sentences = new List<string> { Fill(random.Pick(DemoVocabulary.Openers[rating - 1])) };
        var praise = liked.Select(a => Fill(random.Pick(a.Praise)));
        var complaints = disliked.Select(a => Fill(random.Pick(a.Complaints)));
        sentences.AddRange(rating >= 3 ? praise.Concat(complaints) : complaints.Concat(praise));
        if (liked.Length == 0 && wished.Length > 0 && random.Chance(0.7))
            sentences.Add(random.Pick(wished).Wish);
        var remarks = rating >= 4 ? DemoVocabulary.GoodRemarks : rating <= 2 ? DemoVocabulary.BadRemarks : DemoVocabulary.PlainRemarks;
        if (random.Chance(0.5)) sentences.Add(random.Pick(remarks));
        if (random.Chance(0.7)) sentences.Add(random.Pick(DemoVocabulary.Closers[rating - 1]));

        var summary = disliked.Length > 0 && rating <= 3 ? disliked[0].ComplaintSummary
            : liked.Length > 0 && rating >= 4 ? liked[0].PraiseSummary
            : random.Pick(DemoVocabulary.Summaries[rating - 1]);
        return new Review(rating, summary, string.Join(" ", sentences));
    }
}
