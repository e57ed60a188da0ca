/**
 * The figures Region Norrbotten's reports publish on anslag 1:1, as typed constants with their
 * seed citations. Amounts are whole kronor (SEK) as the reports give them; the history stores öre.
 *
 * Citations: `002:n` is line n of the 2017 report (seed `002_dee6aa12b96cb2dd.txt`), `003:n` line
 * n of *Återrapportering av villkorsbeslut 2022* (seed `003_3d14ee81cf51567b.txt`).
 *
 * @since 0.1.0
 */

/**
 * One category of the 2017 project classification table.
 *
 * @category models
 * @since 0.1.0
 */
export interface ClassificationRow {
  readonly code: string
  readonly label: string
  readonly statedPercent: number
  readonly amountSek: number
}

/**
 * One priority line of the 2022 allocation.
 *
 * @category models
 * @since 0.1.0
 */
export interface PriorityLine {
  readonly code: string
  readonly label: string
  readonly amountSek: number
}

/**
 * Leadership of supported firms, in whole percent.
 *
 * @category models
 * @since 0.1.0
 */
export interface LeadershipShares {
  readonly women: number
  readonly men: number
  readonly shared: number
}

/**
 * The published figures.
 *
 * @category models
 * @since 0.1.0
 */
export const published = {
  /** 2017 project classification of anslag 1:1 *Regionala tillväxtåtgärder*, granted amounts. */
  classification2017: {
    rows: [
      { code: "K1", label: "Skärningspunkter mellan fokusområden", statedPercent: 5, amountSek: 4_773_357 },
      { code: "K2", label: "Teknik- och tjänsteutveckling inom industrin", statedPercent: 12, amountSek: 10_267_744 },
      { code: "K3", label: "Test- och övningsverksamhet", statedPercent: 1, amountSek: 525_000 },
      { code: "K4", label: "Energi- och miljöteknik/cleantech", statedPercent: 8, amountSek: 6_696_504 },
      { code: "K5", label: "Digitala tjänstenäringar", statedPercent: 3, amountSek: 3_022_100 },
      { code: "K6", label: "Kulturella och kreativa näringar", statedPercent: 26, amountSek: 22_849_447 },
      { code: "K7", label: "Allmänna tillväxtfrämjande insatser", statedPercent: 46, amountSek: 40_206_690 }
    ] satisfies ReadonlyArray<ClassificationRow>,
    totalSek: 88_340_842,
    /** The stated percentages add up to 101 (rounding; I-1). */
    statedPercentSum: 101,
    source: "002:947-962"
  },
  /** 2017 regional business support. */
  businessSupport2017: {
    applications: 169,
    granted: 138,
    /** Derived: 169 − 138. */
    rejected: 31,
    leadership: { women: 29, men: 56, shared: 15 } satisfies LeadershipShares,
    grantedSek: 85_000_000,
    investmentSek: 280_000_000,
    expectedJobs: 392,
    womenJobsPercent: 48,
    supportAreaAPercent: 88,
    manufacturingTourismCarTestingFundsPercent: 87,
    /** 33 % at 002:836-837 and the sector breakdown; 32 % at 002:764-765 (I-2). */
    tourismAndCarTestingFirmsPercent: 33,
    food: { firms: 13, grantSek: 5_000_000, investmentSek: 15_000_000, jobs: 27, jobsWomen: 12 },
    source: "002:805-868"
  },
  /** 2017 commercial service (*Återrapportering 7*). */
  commercialService2017: {
    serviceGrant: { shops: 9, amountSek: 1_219_580, source: "002:1243" },
    homeDelivery: { amountSek: 1_633_346, forYears: [2015, 2016], source: "002:1245-1246" },
    specialOperatingSupport: { shops: 33, amountSek: 5_640_313, source: "002:1248-1249" },
    /** Derived; the report states no total (I-25). */
    totalSek: 8_493_239
  },
  /** The 2022 allocation of anslag 1:1 *Regionala utvecklingsåtgärder* by priority (RUN). */
  allocation2022: {
    lines: [
      { code: "P1", label: "Attraktiva livsmiljöer och tillgänglighet", amountSek: 32_300_000 },
      { code: "P2", label: "Innovation samt entreprenörskap och företagande", amountSek: 120_100_000 },
      { code: "P3", label: "Internationellt samarbete", amountSek: 1_400_000 },
      { code: "P4", label: "Kompetensförsörjning och kompetensutveckling", amountSek: 5_300_000 },
      { code: "P5", label: "Övriga prioriterade områden", amountSek: 12_000_000 }
    ] satisfies ReadonlyArray<PriorityLine>,
    /** Derived: the report states no total (I-6). */
    totalSek: 171_100_000,
    split: { projects: 61, businessSupport: 34, commercialService: 5 },
    source: "003:3860-3884"
  },
  /** 2022 regional business support. */
  businessSupport2022: {
    applications: 164,
    granted: 125,
    rejected: 39,
    rejectedPercentApprox: 24,
    leadership: { women: 24, men: 66, shared: 10 } satisfies LeadershipShares,
    grantedSek: 58_700_000,
    investmentSek: 183_000_000,
    expectedJobs: 200,
    source: "003:1204-1237, 003:3907-3937"
  },
  /** EU co-financing of the 2022 business-support decisions. */
  euCoFinancing2022: {
    decisions: 46,
    reactEu: { decisions: 39, ratePercent: 100 },
    covidFramework: { decisions: 7, ratePercent: 50 },
    source: "003:3939-3947"
  },
  /** The region's co-financing of EU programme projects in 2022 ("ca"). */
  euProgrammes2022: {
    eruf: { projects: 15, amountSek: 46_000_000, source: "003:4048-4050" },
    interregAurora: { projects: 11, amountSek: 12_300_000, source: "003:4076-4078" }
  },
  /** 2022 projects by horizontal main purpose. */
  horizontalPurposes2022: { genderEquality: 6, diversity: 4, environment: 9, source: "003:3983-3985" },
  /** The case numbers the 2022 report carries. */
  caseNumbers2022: {
    government: ["N2021/03079", "N2021/03001"],
    tillvaxtverket: "Ä 2022–4019",
    regionNorrbotten: "RUN 00060-2022",
    source: "003:9-22"
  }
} as const
