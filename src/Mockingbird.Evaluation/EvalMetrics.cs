namespace Mockingbird.Evaluation;

/// <summary>Agreement between labelled bands and a judge's scores. Each figure is null when it is undefined for the data.</summary>
public static class EvalMetrics
{
    /// <summary>The band a total falls in: rounded half-up (2.5 is band 3) and kept within 1-4.</summary>
    public static int JudgeBand(double total) => Math.Clamp((int)Math.Floor(total + 0.5), 1, 4);

    /// <summary>
    /// Over every pair of answers to the same question whose expected bands differ, the share the judge's totals put
    /// in the same order; a tie in the totals counts half. Null when there is no such pair.
    /// </summary>
    public static double? PairwiseOrderAccuracy(IEnumerable<IReadOnlyList<(int Expected, double Total)>> answersPerQuestion)
    {
        ArgumentNullException.ThrowIfNull(answersPerQuestion);
        double pairs = 0, agreed = 0;
        foreach (var answers in answersPerQuestion)
        {
            for (var i = 0; i < answers.Count; i++)
            {
                for (var j = i + 1; j < answers.Count; j++)
                {
                    var expected = answers[i].Expected.CompareTo(answers[j].Expected);
                    if (expected == 0)
                    {
                        continue;
                    }

                    pairs++;
                    var judged = answers[i].Total.CompareTo(answers[j].Total);
                    agreed += judged == 0 ? 0.5 : judged == expected ? 1 : 0;
                }
            }
        }

        return pairs == 0 ? null : agreed / pairs;
    }

    /// <summary>Spearman's rank correlation: Pearson's r of the ranks, tied values sharing their average rank.</summary>
    public static double? Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException("Both series need one value per answer.", nameof(y));
        }

        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>Ranks from 1, each run of equal values given the mean of the ranks it spans.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]].Equals(values[order[start]]))
            {
                end++;
            }

            var rank = ((start + 1) + (end + 1)) / 2.0;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }

    /// <summary>
    /// Cohen's kappa with quadratic weights, 1 - sum(w*O) / sum(w*E) with w = (i-j)^2/(k-1)^2: disagreement by two
    /// bands costs four times one band. Null when chance disagreement is zero (both raters use one and the same band).
    /// </summary>
    public static double? QuadraticWeightedKappa(IReadOnlyList<int> expected, IReadOnlyList<int> judged, int lowest = 1, int highest = 4)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(judged);
        if (expected.Count != judged.Count)
        {
            throw new ArgumentException("Both raters need one band per answer.", nameof(judged));
        }

        var k = highest - lowest + 1;
        if (expected.Count == 0 || k < 2)
        {
            return null;
        }

        var observed = new double[k, k];
        var rows = new double[k];
        var columns = new double[k];
        for (var n = 0; n < expected.Count; n++)
        {
            var (i, j) = (expected[n] - lowest, judged[n] - lowest);
            if (i < 0 || i >= k || j < 0 || j >= k)
            {
                throw new ArgumentOutOfRangeException(nameof(expected), $"Bands must lie in {lowest}-{highest}.");
            }

            observed[i, j]++;
            rows[i]++;
            columns[j]++;
        }

        double weightedObserved = 0, weightedChance = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var weight = (double)((i - j) * (i - j)) / ((k - 1) * (k - 1));
                weightedObserved += weight * observed[i, j];
                weightedChance += weight * rows[i] * columns[j] / expected.Count;
            }
        }

        return weightedChance == 0 ? null : 1 - (weightedObserved / weightedChance);
    }

    private static double? Pearson(double[] x, double[] y)
    {
        if (x.Length < 2)
        {
            return null;
        }

        var (meanX, meanY) = (x.Average(), y.Average());
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            varianceX += (x[i] - meanX) * (x[i] - meanX);
            varianceY += (y[i] - meanY) * (y[i] - meanY);
        }

        return varianceX == 0 || varianceY == 0 ? null : covariance / Math.Sqrt(varianceX * varianceY);
    }
}
