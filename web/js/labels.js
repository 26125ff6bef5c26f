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
