// Chinese names of the API's codes for levels and roles.

export const LEVEL_NAMES = {
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇',
  village: '村',
};

export const ROLE_NAMES = {
  viewer: '查看',
  clerk: '录入',
  approver: '审批',
  admin: '管理员',
};

export function levelName(level) {
  return LEVEL_NAMES[level] || String(level ?? '');
}

export function roleNames(roles) {
  return (roles || []).map((role) => ROLE_NAMES[role] || String(role)).join('、');
}

// Organisations and cadres: the API's codes with their Chinese names, in the order a form
// offers them.
export const KIND_NAMES = {
  federation: '妇联',
  womens_congress: '妇代会',
  womens_committee: '妇委会',
};

export const HOST_KIND_NAMES = {
  agency: '机关',
  institution: '事业单位',
  enterprise: '企业',
  social_org: '社会组织',
};

// The offices a cadre holds (not the user roles above).
export const OFFICE_NAMES = {
  chair: '主席',
  vice_chair: '副主席',
  standing_member: '常委',
  executive_member: '执委',
  congress_director: '妇代会主任',
  liaison_officer: '妇女工作联络员',
};

export const GENDER_NAMES = { female: '女', male: '男' };

export const EDUCATION_NAMES = {
  primary: '小学',
  junior_high: '初中',
  senior_high: '高中',
  vocational: '中专',
  junior_college: '大专',
  bachelor: '本科',
  master: '硕士研究生',
  doctorate: '博士研究生',
};

export const POLITICAL_NAMES = {
  cpc_member: '中共党员',
  cpc_probationary: '中共预备党员',
  league_member: '共青团员',
  democratic_party: '民主党派',
  masses: '群众',
};

export const OCCUPATION_NAMES = {
  teacher: '教师',
  village_doctor: '乡村医生',
  former_cadre: '老干部',
  capable_woman: '巾帼能人',
  entrepreneur: '企业家',
  volunteer_leader: '志愿服务队负责人',
  cultural_leader: '文艺队负责人',
  student_village_official: '大学生村官',
  other: '其他',
};

// nameIn(table, code): the Chinese name of a code, the code itself when unknown, "" for none.
export function nameIn(table, code) {
  return code === null || code === undefined ? '' : table[code] || String(code);
}

// kindText(org): an organisation's kind, with its host for a committee: 妇委会（企业）.
export function kindText(org) {
  const kind = nameIn(KIND_NAMES, org.kind);
  return org.host_kind ? `${kind}（${nameIn(HOST_KIND_NAMES, org.host_kind)}）` : kind;
}

// The levels below each one: a region's children are one level down.
const LEVEL_ORDER = ['province', 'city', 'county', 'township', 'village'];

export function levelBelow(level) {
  const i = LEVEL_ORDER.indexOf(level);
  return i >= 0 && i < LEVEL_ORDER.length - 1 ? LEVEL_ORDER[i + 1] : null;
}

// Re-elections (换届) and the workflow requests that carry them.
export const SEAT_NAMES = {
  chair: '主席',
  vice_chair_full_time: '专职副主席',
  vice_chair_part_time: '兼职副主席',
  standing_member: '常委',
  executive_member: '执委',
};

export const STAGE_NAMES = {
  plan: '方案审批',
  election: '待选举',
  done: '已完成',
  rejected: '未获批准',
  withdrawn: '已撤回',
};

export const REQUEST_KIND_NAMES = {
  reelection_plan: '换届方案',
  reelection_result: '选举结果',
  new_org_committee: '两新组织建立妇委会',
  new_org_liaison: '两新组织选派联络员',
};

export const REQUEST_STATE_NAMES = {
  draft: '草稿',
  in_progress: '办理中',
  returned: '已退回',
  completed: '已办结',
  rejected: '不予批准',
  withdrawn: '已撤回',
};

export const STEP_STATE_NAMES = {
  waiting: '未到',
  pending: '待办',
  approved: '同意',
  acknowledged: '已备案',
  returned: '退回',
  rejected: '不同意',
};

export const STEP_MODE_NAMES = { approve: '审批', file: '备案' };

export const EVENT_NAMES = {
  create: '起草',
  submit: '提交',
  resubmit: '重新提交',
  approve: '同意',
  reject: '不同意',
  return: '退回',
  acknowledge: '备案',
  withdraw: '撤回',
  transfer: '转办',
  comment: '意见',
  copy: '抄送',
  urge: '催办',
  change: '修改申请',
};

// New economic and social organisations (两新组织).
export const NEW_ORG_KIND_NAMES = { economic: '新经济组织', social: '新社会组织' };

export const PARTY_RATING_NAMES = { none: '无/未评定', up_to_standard: '达标', excellent: '优秀' };

// The three conditions of "two stable, one suitable" (两稳一适).
export const CONDITION_NAMES = {
  stable_operation: '经营稳定',
  stable_female_workforce: '女职工队伍稳定',
  suitable_chair: '有合适的妇委会主任人选',
};

export const RECOMMENDATION_NAMES = {
  committee: '建立妇委会',
  committee_conditions_unmet: '应建妇委会，条件尚未具备',
  liaison_officer: '选派妇女工作联络员',
};

export const COVERAGE_NAMES = { none: '未覆盖', committee: '已建妇委会', liaison_officer: '已有联络员' };

// What a coverage proposal asks for, and where it stands.
export const COVERAGE_REQUEST_KIND_NAMES = { committee: '建立妇委会', liaison_officer: '选派联络员' };
// Where a liaison officer comes from (联络员来源): the roster, or entered new with the proposal.
export const LIAISON_SOURCE_NAMES = { roster: '从名册选择', new: '新录入' };
export const COVERAGE_REQUEST_STAGE_NAMES = {
  proposed: '审批中',
  approved: '已批准',
  rejected: '未获批准',
  withdrawn: '已撤回',
};
